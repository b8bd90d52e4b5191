"""Addresses that take a form (a case step, an act): what they answer to anything but a POST.

After a form error the page is rendered at the form's action address (``/proposals/34/do/submit/``); a user
who reloads it, bookmarks it or opens it again from the history sends a GET there. That GET goes back to the
case page (302), never a blank 405; other methods get the site's own 405 page with a way back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def post_or_back_to(url_name: str, pk_kwarg: str = "pk") -> Callable[[Callable[..., HttpResponse]],
                                                                      Callable[..., HttpResponse]]:
    """Decorate a POST-only view: GET/HEAD redirect to ``url_name`` with ``pk=kwargs[pk_kwarg]`` (the case
    page; it answers 404 itself to those who may not see the case), other methods 405 in the site's layout."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                return redirect(url_name, pk=kwargs[pk_kwarg])
            if request.method != "POST":
                response = render(request, "error.html", {
                    "title": _("无法打开此地址"), "text": _("该地址只用于提交表单，请回到案件页面重新办理。")}, status=405)
                response["Allow"] = "POST"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
