"""Pages of supervision and research topics."""

from django.urls import path

from lvzhi.supervision import views

urlpatterns = [
    path("supervision/", views.topic_list, name="supervision-topics"),
    path("supervision/new/", views.topic_new, name="supervision-topic-new"),
    path("supervision/<int:pk>/", views.topic_detail, name="supervision-topic"),
    path("supervision/<int:pk>/<str:act>/", views.topic_act, name="supervision-act"),
    path("supervision/<int:pk>/findings/<int:finding>/<str:act>/", views.finding_act, name="supervision-finding-act"),
]
