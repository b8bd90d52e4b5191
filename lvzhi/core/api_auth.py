"""Authentication of the JSON API: personal tokens (``Authorization: Bearer <key>``) and Django sessions.

- **Tokens** are issued by ``POST /api/auth/tokens`` (username and password; the attempt counts towards the
  django-axes login lockout like a login on the web page) or by ``lvzhi create_token USERNAME``. The plain
  key is shown once; only its SHA-256 hex digest is stored (:class:`~lvzhi.core.models.ApiToken`). A token
  past ``expires_at`` or of an inactive account is refused with 401. ``last_used_at`` is refreshed at most
  once a minute so that busy clients do not write on every request.
- **Sessions**: a browser already logged in to the web pages may call the API with its session cookie;
  unsafe methods (POST, PUT, PATCH, DELETE) then need the CSRF token (``X-CSRFToken`` header), as forms do.

Issuing and revoking a token each write one audit entry (等保: who opened API access, when).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from lvzhi.core import audit
from lvzhi.core.accounts import council_id_of_user
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.core.models import ApiToken

#: How long after its last refresh ``last_used_at`` is written again.
LAST_USED_GRANULARITY = timedelta(minutes=1)
#: Default and longest lifetime of a token issued through the API, in calendar days.
DEFAULT_TOKEN_DAYS = 30
MAX_TOKEN_DAYS = 365


class ApiRequest(HttpRequest):
    """The type of a request once the API authenticated it: ``auth`` is the calling user."""

    auth: Any


class InvalidToken(AuthenticationError):
    """401: the bearer token is unknown, revoked or expired, or its account is disabled."""

    def __init__(self, message: str = "API 令牌无效、已撤销或已过期，请重新获取令牌。") -> None:
        super().__init__(401, message)


class TooManyAttempts(DomainError):
    """429: django-axes locked the account after too many failed logins."""

    status = 429


def token_digest(key: str) -> str:
    """The SHA-256 hex digest (64 characters) under which a token ``key`` is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _owner_council_id(user: Any) -> int | None:
    return council_id_of_user(user)


@transaction.atomic
def issue_token(user: Any, *, name: str = "API", days: int | None = DEFAULT_TOKEN_DAYS,
                actor: Any = None) -> tuple[ApiToken, str]:
    """Create a token for ``user`` valid for ``days`` calendar days (``None``: no expiry).

    Returns ``(token, key)``; ``key`` (43 URL-safe characters) is not stored and cannot be shown again.
    Raises :class:`DomainError` (field ``name`` / ``days``) for a blank or over-long name or a lifetime
    outside 1–365 days. ``actor`` defaults to ``user`` (an administrator issuing for someone else).
    """
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写令牌名称。", field="name")
    if len(name) > 50:
        raise DomainError("令牌名称不能超过 50 个字。", field="name")
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise DomainError(f"令牌有效期须在 1 至 {MAX_TOKEN_DAYS} 天之间。", field="days")
    if not getattr(user, "is_active", False):
        raise ForbiddenError("该账号已停用，不能获取 API 令牌。")
    key = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=days) if days is not None else None
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(key), expires_at=expires_at)
    audit.record(token, "api_token_issued", actor=actor or user, council_id=_owner_council_id(user),
                 new={"name": name, "user": user.pk, "expires_at": expires_at})
    return token, key


@transaction.atomic
def revoke_token(user: Any, token_id: Any) -> None:
    """Delete ``user``'s token ``token_id``. Raises :class:`NotFoundError` when it is not theirs."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first() if str(token_id).isdigit() else None
    if token is None:
        raise NotFoundError()
    audit.record(token, "api_token_revoked", actor=user, council_id=_owner_council_id(user),
                 old={"name": token.name})
    token.delete()


def user_for_token(key: str, *, now: datetime | None = None) -> Any:
    """The active user owning the unexpired token ``key``; :class:`InvalidToken` otherwise.

    Refreshes the token's ``last_used_at`` when it is older than :data:`LAST_USED_GRANULARITY`.
    """
    now = now or timezone.now()
    token = (ApiToken.objects.select_related("user").filter(digest=token_digest(key.strip())).first()
             if key and key.strip() else None)
    if token is None or not token.user.is_active:
        raise InvalidToken()
    if token.expires_at is not None and token.expires_at <= now:
        raise InvalidToken(f"API 令牌已于 {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M} 过期，请重新获取。")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``. A bearer header with a bad key is refused (401) outright rather than
    falling back to the session, so a client learns its token is wrong."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """Django's session login, with the CSRF check for unsafe methods.

    Without a logged-in session it declines (``None``) before the CSRF check, so that a request carrying
    neither a session nor a token gets 401, not a CSRF 403.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not getattr(request.user, "is_authenticated", False):
            return None
        return super().__call__(request)

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except Exception as exc:  # ninja raises HttpError(403, "CSRF check Failed")
            raise ForbiddenError("CSRF 校验失败：请在请求头 X-CSRFToken 中附上页面的 CSRF 令牌，或改用 API 令牌。") \
                from exc


token_auth = TokenAuth()
session_auth = CsrfSessionAuth()


# ---------------------------------------------------------------------------------------------- endpoints

router = Router()


class TokenRequest(Schema):
    """Credentials of the account, and the token's name and lifetime (calendar days)."""

    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=128)
    name: str = Field("API", max_length=50, description="令牌名称，便于识别用途")
    days: int = Field(DEFAULT_TOKEN_DAYS, ge=1, le=MAX_TOKEN_DAYS, description="有效期（自然日）")


class TokenOut(Schema):
    id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class IssuedToken(TokenOut):
    key: str = Field(..., description="令牌明文，只显示这一次")


class Message(Schema):
    detail: str
    field: str | None = None


@router.post("/tokens", auth=None, response={201: IssuedToken, 401: Message, 429: Message},
             summary="用用户名和密码获取 API 令牌")
def create_token(request: HttpRequest, payload: TokenRequest) -> Status[dict[str, Any]]:
    """Counts as a login attempt for the lockout (django-axes): after too many failures the account is
    locked for the configured time and even the right password answers 429."""
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer the lockout here in JSON instead of letting the middleware render the HTML page.
        setattr(request, "axes_locked_out", False)  # noqa: B010 (an attribute django-axes adds)
        raise TooManyAttempts("登录失败次数过多，账号已被暂时锁定，请稍后再试。", field="username")
    if user is None:
        return Status(401, {"detail": "用户名或密码错误。", "field": "password"})
    token, key = issue_token(user, name=payload.name, days=payload.days)
    return Status(201, {**_token_dict(token), "key": key})


@router.get("/tokens", response=list[TokenOut], summary="我的 API 令牌")
def list_tokens(request: ApiRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=request.auth).order_by("-created_at", "-id"))


@router.delete("/tokens/{token_id}", response={204: None}, summary="撤销 API 令牌")
def delete_token(request: ApiRequest, token_id: int) -> Status[None]:
    revoke_token(request.auth, token_id)
    return Status(204, None)


def _token_dict(token: ApiToken) -> dict[str, Any]:
    return {"id": token.pk, "name": token.name, "created_at": token.created_at, "expires_at": token.expires_at,
            "last_used_at": token.last_used_at}


def get_user(username: str) -> Any:
    """The account named ``username``; :class:`NotFoundError` when there is none (for the command)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFoundError(f"用户「{username}」不存在。")
    return user
