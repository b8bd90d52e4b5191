"""Which capacity a signed-in account acts in during this session (the role switcher's choice)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lvzhi.members.access import ACTIVE_ATTR, SESSION_KEY


class ActiveProfileMiddleware:
    """Copies the session's chosen profile id onto ``request.user`` (as ``lvzhi_active_profile_id``) so
    :func:`lvzhi.members.access.profile_of` answers with that capacity. Place after Django's
    ``AuthenticationMiddleware``. Requests without a session choice (and API token requests, which carry no
    session) act in the account's primary capacity. An id that is not one of the account's own profiles is
    ignored by ``profile_of``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        chosen = session.get(SESSION_KEY) if session is not None else None
        if isinstance(chosen, int) and getattr(request, "user", None) is not None:
            setattr(request.user, ACTIVE_ATTR, chosen)
        return self.get_response(request)
