"""Web page routes of meetings, attendance, duty records and scoring (filled in views.py)."""

from django.urls import path

from lvzhi.duties import consult_views, plan_views, views, year_views

urlpatterns = [
    path("duties/meetings/", views.meeting_list, name="duties-meetings"),
    path("duties/meetings/new/", views.meeting_new, name="duties-meeting-new"),
    path("duties/meetings/<int:pk>/", views.meeting_detail, name="duties-meeting"),
    path("duties/meetings/<int:pk>/respond/", views.meeting_respond, name="duties-respond"),
    path("duties/meetings/<int:pk>/leave/<int:invitee>/", views.leave_decide, name="duties-leave"),
    path("duties/meetings/<int:pk>/attendance/", views.attendance_mark, name="duties-attendance"),
    path("duties/meetings/<int:pk>/import/", views.attendance_import, name="duties-import"),
    path("duties/meetings/<int:pk>/qr/", views.meeting_qr, name="duties-qr"),
    path("duties/meetings/<int:pk>/qr.svg", views.meeting_qr_svg, name="duties-qr-svg"),
    path("duties/meetings/<int:pk>/checkin/", views.meeting_checkin, name="duties-checkin"),
    path("duties/meetings/<int:pk>/speech/", views.speech_new, name="duties-speech"),
    path("duties/attendance-template.xlsx", views.attendance_template, name="duties-import-template"),
    path("duties/record/", views.my_record, name="duties-my-record"),
    path("duties/record/<int:member>/", views.member_record, name="duties-record"),
    path("duties/record/<int:member>/record.docx", views.member_record_docx, name="duties-record-docx"),
    path("duties/scores/", views.scores, name="duties-scores"),
    path("duties/scores.xlsx", views.scores_xlsx, name="duties-scores-xlsx"),
    path("duties/report.docx", views.scores_docx, name="duties-report-docx"),
    path("duties/yearly/", year_views.yearly, name="duties-yearly"),
    path("duties/yearly.docx", year_views.yearly_docx_view, name="duties-yearly-docx"),
    path("duties/yearly.xlsx", year_views.yearly_xlsx_view, name="duties-yearly-xlsx"),
    path("duties/rules/", views.rule_sets, name="duties-rules"),
    path("duties/rules/<int:pk>/", views.rule_set_detail, name="duties-rule"),
    path("duties/rules/import/", views.rules_import, name="duties-rules-import"),
    path("duties/rules/template.xlsx", views.rules_template, name="duties-rules-template"),
    path("duties/plans/", plan_views.plan_list, name="duties-plans"),
    path("duties/plans/<int:pk>/", plan_views.plan_detail, name="duties-plan"),
    path("duties/plans/<int:pk>/approve/", plan_views.plan_approve, name="duties-plan-approve"),
    path("duties/plans/<int:pk>/topics/<int:topic>/", plan_views.topic_update, name="duties-topic"),
    path("duties/plans/<int:pk>/topics/<int:topic>/instruct/", plan_views.topic_instruct, name="duties-instruct"),
    path("duties/instructions/", plan_views.instructions, name="duties-instructions"),
    path("duties/consultations/", consult_views.consultations, name="duties-consultations"),
    path("duties/consultations/<int:pk>/", consult_views.consultation, name="duties-consultation"),
]
