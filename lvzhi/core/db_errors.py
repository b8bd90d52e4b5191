"""Database refusals a user can cause answer a clear message, never a server error.

**Busy.** On SQLite one writer holds the database at a time; a writer that waited its turn for the configured
timeout (30 s) gets ``OperationalError: database is locked``. On PostgreSQL a lock timeout, a deadlock or a
serialization failure is the same situation. :class:`DatabaseErrorMiddleware` answers 503 with ``Retry-After``
and "系统繁忙……请稍后重试" (JSON under ``/api/``, the site's error page elsewhere); the transaction was rolled
back, so nothing was written.

**Out of range.** PostgreSQL's ``bigint`` and SQLite's ``INTEGER`` hold -2^63 … 2^63-1. A larger number in an id, a filter, an
offset or a body fails in the database (SQLite: ``OverflowError``; PostgreSQL: ``NumericValueOutOfRange``, a
``DataError``), which used to answer 500. :class:`DatabaseErrorMiddleware` turns that failure into:

- under ``/api/``: ``422 {"detail": "字段「offset」超出允许的范围……", "field": "offset"}``, the field being the
  first input of the request (path, query, form or JSON body, nested keys joined with dots) holding an integer out
  of range;
- on a page: ``400`` with the same sentence on the site's error page.

It acts only once the database has refused, so text that merely looks like a long number (a bank account in a
message) is never refused. The failed statement's transaction has been rolled back by then (each writer runs in
one transaction), so nothing is half-written. Bounds that mean something to the domain (``offset ≥ 0``,
``limit ≤ 200``) stay on the endpoints' schemas and forms. Source: issue "Production …", item 3.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.db import DatabaseError, DataError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOWEST = -(2**63)
HIGHEST = 2**63 - 1
_INTEGER = re.compile(r"^[+-]?\d+$")


def out_of_range(value: object) -> bool:
    """True for an int, or the text of an integer, that no 64-bit column can hold (bools are not numbers)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        value = value.strip()
        if not _INTEGER.match(value):
            return False
        value = int(value)
    return isinstance(value, int) and not LOWEST <= value <= HIGHEST


def _json_fields(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_fields(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_fields(item, f"{path}.{index}" if path else str(index))
    else:
        yield path or "body", value


def _inputs(request: HttpRequest) -> Iterator[tuple[str, Any]]:
    match = request.resolver_match
    if match is not None:
        yield from match.kwargs.items()
    for name, values in request.GET.lists():
        for value in values:
            yield name, value
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            yield from _json_fields(json.loads(request.body or b"null"), "")
        except ValueError:
            return
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, values in request.POST.lists():
            for value in values:
                yield name, value


def bad_field(request: HttpRequest) -> str | None:
    """The first input of ``request`` (path, query, form, JSON body) holding an integer out of range, or None."""
    return next((name for name, value in _inputs(request) if out_of_range(value)), None)


def is_out_of_range(exc: Exception) -> bool:
    """True for the errors a database raises on an integer it cannot hold."""
    if isinstance(exc, OverflowError):
        return True
    if isinstance(exc, DataError):
        cause = exc.__cause__
        return type(cause).__name__ == "NumericValueOutOfRange" or "out of range" in str(exc)
    return False


def message(field: str | None) -> str:
    """The Chinese sentence of the answer, naming ``field`` when it is known."""
    if field:
        return _("字段「%(field)s」超出允许的范围（-9223372036854775808 至 9223372036854775807）。") % {"field": field}
    return _("请求中的某个数字超出允许的范围（-9223372036854775808 至 9223372036854775807）。")


def is_busy(exc: Exception) -> bool:
    """True for "the database is busy, try again": SQLite's lock wait ran out; PostgreSQL's lock timeout,
    deadlock or serialization failure."""
    if isinstance(exc, OperationalError) and "database is locked" in str(exc):
        return True
    cause = exc.__cause__ if isinstance(exc, DatabaseError) else None
    return type(cause).__name__ in ("LockNotAvailable", "DeadlockDetected", "SerializationFailure")


BUSY_SECONDS = 5


class DatabaseErrorMiddleware:
    """Django middleware: answers the busy and out-of-range errors as described in the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if is_busy(exc):
            text = _("系统繁忙（其他操作正在写入），本次操作未保存，请稍后重试。")
            response: HttpResponse
            if request.path.startswith("/api/"):
                response = JsonResponse({"detail": text, "field": None}, status=503)
            else:
                response = render(request, "error.html", {"title": _("系统繁忙"), "text": text}, status=503)
            response["Retry-After"] = str(BUSY_SECONDS)
            return response
        if not is_out_of_range(exc):
            return None
        field = bad_field(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message(field), "field": field}, status=422)
        return render(request, "error.html", {"title": _("请求有误"), "text": message(field)}, status=400)
