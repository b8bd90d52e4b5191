"""Pages of leaders' visits to members' firms."""

from django.urls import path

from lvzhi.firmvisits import views

urlpatterns = [
    path("firm-visits/", views.visit_list, name="firm-visits"),
    path("firm-visits/new/", views.visit_new, name="firm-visit-new"),
    path("firm-visits/<int:pk>/", views.visit_detail, name="firm-visit"),
    path("firm-visits/<int:pk>/issue/", views.issue_new, name="firm-issue-new"),
    path("firm-visits/<int:pk>/issues/<int:issue>/<str:act>/", views.issue_act, name="firm-issue-act"),
]
