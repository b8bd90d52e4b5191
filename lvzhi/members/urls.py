"""Web page routes of this app (included at the site root by ``lvzhi.urls``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
