"""Authentication of the API: tokens (issue, use, expire, revoke, lockout) and sessions with CSRF."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lvzhi.core.api_auth import issue_token, token_digest
from lvzhi.core.models import ApiToken, AuditEntry
from tests.api.conftest import Api
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _token_request(client, username, password, **extra):
    return client.post("/api/auth/tokens", {"username": username, "password": password, **extra},
                       content_type="application/json")


def test_issue_token_with_password_and_use_it(world):
    user = world.user("member0")
    r = _token_request(Client(), user.username, PASSWORD, name="脚本", days=7)
    assert r.status_code == 201, r.content
    body = r.json()
    key = body["key"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.digest == token_digest(key) and key not in token.digest  # only the digest is stored
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    me = Api(key).get("/api/org/me")
    assert me.status_code == 200 and me.json()["username"] == user.username
    listed = Api(key).get("/api/auth/tokens").json()
    assert [t["name"] for t in listed] == ["脚本"] and "key" not in listed[0]
    assert AuditEntry.objects.filter(event="api_token_issued", actor=user).exists()


def test_wrong_password_is_401_and_lockout_counts_api_attempts(world, settings):
    user = world.user("member0")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = _token_request(client, user.username, "wrong-password")
        assert r.status_code == 401 and r.json()["field"] == "password"
    r = _token_request(client, user.username, "wrong-password")
    assert r.status_code == 429 and "锁定" in r.json()["detail"]
    r = _token_request(client, user.username, PASSWORD)  # even the right password while locked
    assert r.status_code == 429 and r.headers["Content-Type"].startswith("application/json")
    assert not ApiToken.objects.filter(user=user).exists()


def test_token_request_validation(world):
    r = _token_request(Client(), world.user("member0").username, PASSWORD, days=1000)
    assert r.status_code == 422 and r.json()["field"] == "days"
    r = Client().post("/api/auth/tokens", {"username": "x"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "password" and "必填" in r.json()["detail"]


def test_missing_bad_and_expired_tokens_are_401(world):
    r = Api(None).get("/api/proposals")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "未登录" in r.json()["detail"]
    r = Api("not-a-real-key").get("/api/proposals")
    assert r.status_code == 401 and "令牌无效" in r.json()["detail"]
    r = Api("not-a-real-key").post("/api/proposals", {"title": "x"})  # no CSRF 403 without a session
    assert r.status_code == 401
    token, key = issue_token(world.user("member0"), days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = Api(key).get("/api/proposals")
    assert r.status_code == 401 and "过期" in r.json()["detail"]


def test_disabled_account_token_is_401(world):
    user = world.user("member0")
    _, key = issue_token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Api(key).get("/api/org/me").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world):
    token, key = issue_token(world.user("member0"))
    api = Api(key)
    api.get("/api/org/me")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get("/api/org/me")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get("/api/org/me")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)


def test_revoke_token(world):
    token, key = issue_token(world.user("member0"))
    other, _ = issue_token(world.user("member1"))
    api = Api(key)
    assert api.delete(f"/api/auth/tokens/{other.pk}").status_code == 404  # not mine
    assert api.delete(f"/api/auth/tokens/{token.pk}").status_code == 204
    assert api.get("/api/org/me").status_code == 401
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_session_auth_and_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")  # the login page sets the CSRF cookie, as a browser gets it
    csrf = client.cookies["csrftoken"].value
    user = world.user("member0")
    client.force_login(user)
    assert client.get("/api/org/me").json()["username"] == user.username
    body = {"session": world.session.pk, "title": "关于会话的建议", "suggestions": "建议"}
    r = client.post("/api/proposals", body, content_type="application/json")
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    r = client.post("/api/proposals", body, content_type="application/json", headers={"X-CSRFToken": "x" * 32})
    assert r.status_code == 403
    r = client.post("/api/proposals", body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert r.status_code == 201, r.content


def test_token_beats_session_csrf(world):
    """A script with a token does not need a CSRF token even if it also carries a session cookie."""
    _, key = issue_token(world.user("member0"))
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    client.force_login(world.user("member1"))
    r = client.post("/api/proposals", {"session": world.session.pk, "title": "关于令牌的建议"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["first_proposer_id"] == world.members[0].pk


def test_create_token_command(world):
    out, err = StringIO(), StringIO()
    call_command("create_token", world.user("staff").username, "--days", "3", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert Api(key).get("/api/org/me").json()["role"] == "staff"
    assert "签发" in err.getvalue()
