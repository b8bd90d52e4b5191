"""等保 level-3 controls: login lockout, idle session timeout, the audit trail of logins, password rules."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from lvzhi.core.models import AuditEntry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_logins_logouts_and_refusals_are_in_the_audit_log(client, world):
    user = world.user("member0")
    _login(client, user.username, "wrong-password")
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    events = list(AuditEntry.objects.filter(target_id=user.pk, event__in=["login", "logout", "login_failed"])
                  .order_by("id").values_list("event", flat=True))
    assert events == ["login_failed", "login", "logout"]
    login = AuditEntry.objects.get(target_id=user.pk, event="login")
    assert login.actor_id == user.pk and login.new_values["ip"] == "127.0.0.1"


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(client, world):
    user = world.user("member1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "wrong-password")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_idle_session_expires_and_every_request_renews_it(client, world):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(world.user("staff"))
    assert client.get(reverse("inbox")).status_code == 200
    session = client.session
    session.set_expiry(-1)  # idle past the limit
    session.save()
    response = client.get(reverse("inbox"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_password_change_checks_the_rules_and_is_audited(client, world):
    user = world.user("clerk0")
    client.force_login(user)
    url = reverse("password-change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": "Qiaodu-Xin-Mima-2026",
                           "new_password2": "Qiaodu-Xin-Mima-2026"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Qiaodu-Xin-Mima-2026")
    assert AuditEntry.objects.filter(target_id=user.pk, event="password_changed").exists()


def test_anonymous_users_see_nothing_but_the_login_page(client, world):
    for name in ("inbox", "proposal-list", "stats", "org-home", "opinions-home", "hot-topics"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
