"""URL map: the web pages of each app, the JSON API under /api/, the admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("lvzhi.web_urls")),
]
