"""Web page routes (filled in by each app's views)."""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request, pk=None):  # replaced by the real views
    return HttpResponse("")


urlpatterns = [
    path("", _placeholder, name="inbox"),
    path("login/", _placeholder, name="login"),
    path("proposals/<int:pk>/", _placeholder, name="proposal-detail"),
]
