"""Web page routes of the proposals app."""

from django.urls import path

from lvzhi.proposals import import_views, views

urlpatterns = [
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/new/", views.proposal_new, name="proposal-new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/do/<slug:step>/", views.proposal_step, name="proposal-step"),
    path("proposals/<int:pk>/do/<slug:step>/<int:target>/", views.proposal_step, name="proposal-step-target"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    # proposal import (lvzhi/proposals/import_views.py)
    path("proposals/import/", import_views.import_page, name="proposal-import"),
    path("proposals/import/<int:pk>/", import_views.import_job, name="proposal-import-job"),
    path("proposals/import/<int:pk>/status/", import_views.import_status, name="proposal-import-status"),
]
