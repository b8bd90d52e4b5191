"""Web page routes of the legislative outreach office (基层立法联系点) and its public portal pages."""

from django.urls import path

from lvzhi.legislation import views

urlpatterns = [
    path("legislation/", views.home, name="legislation-home"),
    path("legislation/drafts/<int:pk>/", views.draft_detail, name="legislation-draft"),
    path("legislation/consultations/<int:pk>/", views.consultation_detail, name="legislation-consultation"),
    path("legislation/consultations/<int:pk>/report.docx", views.report, name="legislation-report"),
    path("portal/legislation/", views.portal_list, name="portal-legislation"),
    path("portal/legislation/feedback/", views.portal_feedback, name="portal-legislation-feedback"),
    path("portal/legislation/<int:pk>/", views.portal_consultation, name="portal-legislation-consultation"),
]
