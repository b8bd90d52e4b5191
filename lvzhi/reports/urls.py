"""Web page routes of this app (included at the site root by ``lvzhi.urls``)."""

from django.urls import path

from lvzhi.reports import views

urlpatterns = [
    path("stats/", views.stats, name="stats"),
    path("stats/statistics.xlsx", views.stats_xlsx, name="stats-xlsx"),
    path("reports/proposals.xlsx", views.proposal_list_xlsx, name="proposal-list-xlsx"),
    path("jobs/<int:pk>/", views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/status.json", views.job_status, name="job-status"),
    path("jobs/<int:pk>/download", views.job_download, name="job-download"),
    path("proposals/<int:pk>/proposal.docx", views.proposal_docx, name="proposal-docx"),
    path("proposals/<int:pk>/proposal.pdf", views.proposal_pdf, name="proposal-pdf"),
    path("replies/<int:pk>/letter.docx", views.reply_docx, name="reply-docx"),
    path("replies/<int:pk>/letter.pdf", views.reply_pdf, name="reply-pdf"),
    path("reports/compilations/", views.compilations, name="compilations"),
    path("reports/sessions/<int:pk>/replies.docx", views.compilation_docx, name="compilation-docx"),
    path("reports/sessions/<int:pk>/replies.pdf", views.compilation_pdf, name="compilation-pdf"),
    path("replies/<int:pk>/letter/", views.reply_letter, name="reply-letter"),
]
