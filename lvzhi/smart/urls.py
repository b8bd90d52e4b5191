"""Web page routes of the smart app (included at the site root by ``lvzhi.urls``), all under /smart/."""

from django.urls import path

from lvzhi.smart import views

urlpatterns = [
    path("smart/topics/", views.hot_topics_page, name="hot-topics"),
    path("smart/models/", views.models_page, name="smart-models"),
    path("smart/jobs/<int:pk>/", views.job_page, name="smart-job"),
    path("smart/jobs/<int:pk>/status/", views.job_status, name="smart-job-status"),
    path("smart/link/", views.link_view, name="smart-link"),
    path("smart/proposals/<int:pk>/merge/", views.merge_view, name="smart-merge"),
    path("smart/similar/", views.similar_json, name="smart-similar"),
]
