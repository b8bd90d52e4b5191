"""Logins, logouts and refused logins land in the audit log (等保: the trail of who entered the system when).

Refused logins of unknown usernames have no account to attach to; django-axes keeps every refused attempt
(``AccessAttempt``) and locks the account after ``LOGIN_FAILURE_LIMIT`` failures.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from lvzhi.core import audit
from lvzhi.core.accounts import council_id_of_user
from lvzhi.core.network import client_address


def _client(request: HttpRequest | None) -> dict[str, str]:
    if request is None:
        return {}
    return {"ip": client_address(request), "agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


def _council_id(user: Any) -> int | None:
    return council_id_of_user(user)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit.record(user, "login", actor=user, council_id=_council_id(user), new=_client(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None and getattr(user, "pk", None):
        audit.record(user, "logout", actor=user, council_id=_council_id(user), new=_client(request))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                  **kwargs: Any) -> None:
    user = get_user_model().objects.filter(username=credentials.get("username", "")).first()
    if user is not None:
        audit.record(user, "login_failed", actor=None, council_id=_council_id(user), new=_client(request))
