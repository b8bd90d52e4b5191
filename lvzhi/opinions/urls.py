"""Web page routes of this app (included at the site root by ``lvzhi.urls``): staff pages under /opinions/,
the public portal under /portal/."""

from django.urls import path

from lvzhi.opinions import views

urlpatterns = [
    path("opinions/", views.home, name="opinions-home"),
    path("opinions/stats/", views.stats, name="opinions-stats"),
    path("opinions/export.xlsx", views.home_xlsx, name="opinions-xlsx"),
    path("opinions/reports/new/", views.report_new, name="opinions-report-new"),
    path("opinions/reports/<int:pk>/", views.report_detail, name="opinions-report"),
    path("opinions/reports/<int:pk>/act/", views.report_act, name="opinions-report-act"),
    path("opinions/issues/new/", views.issue_new, name="opinions-issue-new"),
    path("opinions/convert/<int:proposal_pk>/", views.convert_proposal, name="opinions-convert-proposal"),
    path("opinions/messages/new/", views.message_new, name="opinions-message-new"),
    path("opinions/messages/<int:pk>/", views.message_detail, name="opinions-message"),
    path("opinions/messages/<int:pk>/act/", views.message_act, name="opinions-message-act"),
    path("opinions/messages/<int:pk>/photos/<int:photo_pk>/", views.message_photo, name="opinions-message-photo"),
    path("portal/", views.portal, name="portal"),
    path("portal/lookup/", views.portal_lookup, name="portal-lookup"),
    path("portal/m/<int:pk>/", views.portal_message, name="portal-message"),
    path("portal/m/<int:pk>/photos/<int:photo_pk>/", views.portal_message_photo, name="portal-message-photo"),
]
