"""The password policy of 等保 level 3 (GB/T 22239-2019 §8.1.4.1 a: identification with complexity and
periodic change): Django password validators plus a history of used passwords and an expiry check.

- :class:`CharacterClassesValidator`: at least ``min_classes`` (default 3) of the four classes upper-case
  letters, lower-case letters, digits and other characters.
- :class:`NotContainingUsernameValidator`: the password does not contain the account name (case-insensitive;
  names shorter than 3 characters are not checked).
- :class:`PasswordHistoryValidator`: none of the last ``keep`` (default 5) passwords of the account again; each
  password set through Django is remembered (its hash only) by ``password_changed``.
- :func:`password_expired`: the account's password is older than ``PASSWORD_MAX_AGE_DAYS`` (calendar days; 0 turns
  expiry off); :class:`PasswordExpiryMiddleware` then sends every page to the change-password form.

- :class:`MinimumLengthValidator`: at least ``PASSWORD_MIN_LENGTH`` characters (default 10).

Every message is Chinese and says what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_CLASSES = (re.compile(r"[A-Z]"), re.compile(r"[a-z]"), re.compile(r"[0-9]"), re.compile(r"[^A-Za-z0-9]"))


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its message in our catalog: Django 5.2 changed the message's msgid and its
    zh-Hans catalog still has the old one, so Chinese users saw the English sentence."""

    def get_error_message(self) -> str:
        return _("密码太短：至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少 %(n)d 个字符。") % {"n": self.min_length}


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        found = sum(1 for pattern in _CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、其他符号中的至少 %(n)d 类。") % {"n": self.min_classes}


class NotContainingUsernameValidator:
    """The password does not contain the account's user name (case-insensitive; names of 3+ characters)."""

    def validate(self, password: str, user: Any = None) -> None:
        name = (getattr(user, "username", "") or "").lower()
        if len(name) >= 3 and name in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名。")


class PasswordHistoryValidator:
    """None of the account's last ``keep`` passwords again (compared with their stored hashes)."""

    def __init__(self, keep: int = 5) -> None:
        self.keep = keep

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from lvzhi.core.models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[:self.keep]
        if any(check_password(password, entry.password) for entry in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from lvzhi.core.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[self.keep:]
        PasswordHistory.objects.filter(pk__in=[entry.pk for entry in stale]).delete()

    def get_help_text(self) -> str:
        return ngettext("不能与最近 %(n)d 次使用过的密码相同。", "不能与最近 %(n)d 次使用过的密码相同。",
                        self.keep) % {"n": self.keep}


def password_set_at(user: Any) -> Any:
    """When ``user`` last set a password (the history's newest entry; the account's creation before that)."""
    from lvzhi.core.models import PasswordHistory

    latest = PasswordHistory.objects.filter(user=user).order_by("-created_at").values_list("created_at",
                                                                                           flat=True).first()
    return latest or user.date_joined


def password_expired(user: Any) -> bool:
    """True when expiry is on (``PASSWORD_MAX_AGE_DAYS`` > 0) and ``user``'s password is older than that many
    calendar days."""
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0))
    if days <= 0 or not getattr(user, "is_authenticated", False):
        return False
    return bool(timezone.now() - password_set_at(user) > timedelta(days=days))


class PasswordExpiryMiddleware:
    """With an expired password, every page but the change-password form, logout and static files redirects to
    the form (the API answers 403 in Chinese). Off while ``PASSWORD_MAX_AGE_DAYS`` is 0."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0)) > 0 and request.user.is_authenticated:
            allowed = (reverse("password-change"), reverse("logout"), settings.STATIC_URL or "/static/",
                       "/i18n/")
            if not request.path.startswith(allowed) and password_expired(request.user):
                message = _("您的密码已超过 %(days)s 天未修改，请先修改密码。") % {
                    "days": settings.PASSWORD_MAX_AGE_DAYS}
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": message, "field": "password"}, status=403)
                messages.warning(request, message)
                return redirect("password-change")
        return self.get_response(request)
