"""Web page routes of this app (included at the site root by ``lvzhi.urls``): the organisation pages under
/org/ (staff and administrators only)."""

from django.urls import path

from lvzhi.members import views

urlpatterns = [
    path("account/capacity/", views.switch_profile, name="switch-profile"),
    path("org/", views.home, name="org-home"),
    path("org/councils/", views.councils, name="org-councils"),
    path("org/members/template.xlsx", views.members_template, name="org-members-template"),
    path("org/units/template.xlsx", views.units_template, name="org-units-template"),
    path("org/<int:cid>/policy/", views.policy, name="org-policy"),
    path("org/<int:cid>/policy/grades/", views.grade_scale, name="org-grade-scale"),
    path("org/<int:cid>/terms/", views.terms, name="org-terms"),
    path("org/<int:cid>/terms/<int:pk>/", views.term_edit, name="org-term-edit"),
    path("org/<int:cid>/terms/<int:term_pk>/sessions/new/", views.session_create, name="org-session-create"),
    path("org/<int:cid>/sessions/<int:pk>/", views.session_edit, name="org-session-edit"),
    path("org/<int:cid>/organisations/", views.organisations, name="org-organisations"),
    path("org/<int:cid>/organisations/<int:pk>/", views.organisation_edit, name="org-organisation-edit"),
    path("org/<int:cid>/members/", views.members, name="org-members"),
    path("org/<int:cid>/members/export.xlsx", views.members_xlsx, name="org-members-xlsx"),
    path("org/<int:cid>/members/new/", views.member_create, name="org-member-create"),
    path("org/<int:cid>/members/import/", views.members_import, name="org-members-import"),
    path("org/<int:cid>/members/<int:pk>/", views.member_edit, name="org-member-edit"),
    path("org/<int:cid>/units/", views.units, name="org-units"),
    path("org/<int:cid>/units/export.xlsx", views.units_xlsx, name="org-units-xlsx"),
    path("org/<int:cid>/units/new/", views.unit_create, name="org-unit-create"),
    path("org/<int:cid>/units/import/", views.units_import, name="org-units-import"),
    path("org/<int:cid>/units/<int:pk>/", views.unit_edit, name="org-unit-edit"),
    path("org/<int:cid>/units/<int:pk>/active/", views.unit_active, name="org-unit-active"),
    path("org/<int:cid>/accounts/", views.accounts, name="org-accounts"),
    path("org/<int:cid>/accounts/new/", views.account_create, name="org-account-create"),
    path("org/<int:cid>/accounts/<int:uid>/password/", views.account_password, name="org-account-password"),
    path("org/<int:cid>/accounts/<int:uid>/active/", views.account_active, name="org-account-active"),
]
