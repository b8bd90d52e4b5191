"""URL map: each app's pages at the root, the JSON API under /api/, the admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

from lvzhi.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("lvzhi.core.urls")),
    path("", include("lvzhi.members.urls")),
    path("", include("lvzhi.proposals.urls")),
    path("", include("lvzhi.suggestions.urls")),
    path("", include("lvzhi.stations.urls")),
    path("", include("lvzhi.legislation.urls")),
    path("", include("lvzhi.livelihood.urls")),
    path("", include("lvzhi.reports.urls")),
    path("", include("lvzhi.opinions.urls")),
    path("", include("lvzhi.smart.urls")),
    path("", include("lvzhi.duties.urls")),
    path("", include("lvzhi.supervision.urls")),
    path("", include("lvzhi.firmvisits.urls")),
    path("", include("lvzhi.studios.urls")),
]

handler400 = "lvzhi.core.views.bad_request"
handler403 = "lvzhi.core.views.forbidden"
handler404 = "lvzhi.core.views.not_found"
