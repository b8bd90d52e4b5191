"""The login page says the session ended when the browser was signed in and did not log out; not after a
logout or on a first visit. The proposal and suggestion forms carry the key under which the browser keeps
the draft (static/js/lvzhi.js)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_login_page_says_the_session_ended(world):
    client = Client()
    assert "登录已失效" not in client.get(reverse("login")).content.decode()  # first visit
    _login(client, world.user("member0").username)
    assert client.get(reverse("proposal-new")).status_code == 200
    client.session.flush()  # what the idle timeout does on the server: the session is gone
    del client.cookies["sessionid"]
    response = client.get(reverse("proposal-new"))
    assert response.status_code == 302 and response.url == "/login/?next=/proposals/new/"
    page = client.get(response.url).content.decode()
    assert 'id="session-ended"' in page and "登录已失效" in page and 'value="/proposals/new/"' in page
    # logging in again and then out: the next login page is the plain one
    _login(client, world.user("member0").username)
    client.post(reverse("logout"))
    assert 'id="session-ended"' not in client.get(reverse("login")).content.decode()


def test_forms_carry_their_draft_key(world, login):
    member = login("member0")
    html = member.get(reverse("proposal-new")).content.decode()
    assert f'data-draft="proposal-new-u{world.user("member0").pk}"' in html and "<script>" not in html
