"""Web page routes of deputies' suggestions (代表建议)."""

from django.urls import path

from lvzhi.suggestions import views

urlpatterns = [
    path("suggestions/", views.suggestion_list, name="suggestion-list"),
    path("suggestions/export.xlsx", views.suggestion_list_xlsx, name="suggestion-list-xlsx"),
    path("suggestions/new/", views.suggestion_new, name="suggestion-new"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion-detail"),
    path("suggestions/<int:pk>/edit/", views.suggestion_edit, name="suggestion-edit"),
    path("suggestions/<int:pk>/replies/<int:reply_pk>/", views.reply_preview, name="suggestion-reply-preview"),
    path("suggestions/<int:pk>/replies/<int:reply_pk>/letter.docx", views.reply_letter_docx,
         name="suggestion-reply-docx"),
    path("suggestions/<int:pk>/replies/<int:reply_pk>/letter.pdf", views.reply_letter_pdf,
         name="suggestion-reply-pdf"),
    path("suggestions/<int:pk>/do/<slug:step>/", views.suggestion_step, name="suggestion-step"),
    path("suggestions/<int:pk>/do/<slug:step>/<int:target>/", views.suggestion_step, name="suggestion-step-target"),
    path("suggestions/files/<int:pk>/", views.reply_file, name="suggestion-file"),
]
