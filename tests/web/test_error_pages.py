"""Error answers a user meets: a missing page, a stale form token and a number too large for the database each
get the site's page in Chinese with a way back (under /api/, the JSON error shape), never Django's bare English
page or a server error (issues "What people meet …" and "Production …", item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db

TOO_LARGE = str(2**63)  # one past the largest 64-bit integer of PostgreSQL and SQLite


def test_missing_page_has_the_site_header_and_a_way_back(login: Any) -> None:
    r = login("member0").get("/proposals/999999/")
    assert r.status_code == 404
    page = r.content.decode()
    assert "页面不存在" in page and "返回待办" in page
    assert 'class="topbar"' in page
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404 and "页面不存在" in anonymous.content.decode()


def test_missing_api_path_answers_json_in_chinese() -> None:
    r = Client().get("/api/proposals/not-a-number")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"].startswith("您要找的页面不存在")


def test_stale_form_token_explains_itself_without_debug_talk(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("member0"))
    r = client.post("/account/capacity/", {"profile": "1"})
    assert r.status_code == 403
    page = r.content.decode()
    assert "页面已过期" in page and "刷新页面" in page
    assert "DEBUG" not in page and "CSRF" not in page


def test_number_too_large_for_the_database_names_the_field(world: Any) -> None:
    from lvzhi.core.api_auth import issue_token

    _, key = issue_token(world.user("staff"), name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    r = client.get(f"/api/org/sessions?term={TOO_LARGE}")
    if connection.vendor == "sqlite":  # SQLite refuses the number: 422 naming the field
        assert r.status_code == 422
        assert r.json() == {"field": "term", "detail": "字段「term」超出允许的范围（-9223372036854775808 至 "
                                                       "9223372036854775807）。"}
    else:  # PostgreSQL compares it as a numeric and finds nothing: an empty answer, no error
        assert r.status_code == 200 and r.json() == []
    r = client.get(f"/api/proposals?offset={TOO_LARGE}")
    assert r.status_code == 422 and r.json()["field"] == "offset"
    r = client.get(f"/api/proposals/{TOO_LARGE}")
    assert r.status_code in (404, 422) and r["Content-Type"].startswith("application/json")


def test_number_too_large_on_a_page_gets_a_page_not_a_server_error(login: Any) -> None:
    client = login("staff")
    client.raise_request_exception = False
    for url in (f"/proposals/?category={TOO_LARGE}", f"/proposals/?unit={TOO_LARGE}", f"/proposals/{TOO_LARGE}/"):
        r = client.get(url)
        assert r.status_code in (200, 400, 404), (url, r.status_code)


@pytest.mark.django_db(transaction=True)
def test_busy_database_answers_503_in_chinese_and_writes_nothing(world: Any) -> None:
    """SQLite: another process holds the write lock longer than this writer's wait (shortened here from 30 s
    to 0.2 s); the writer's answer is 503 "系统繁忙" with Retry-After, not a server error."""
    import sqlite3

    from django.db import connection

    from lvzhi.core.api_auth import issue_token
    from lvzhi.proposals.models import Proposal

    if connection.vendor != "sqlite":
        pytest.skip("the single-writer lock is SQLite's")
    _, key = issue_token(world.user("member0"), name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)
    connection.ensure_connection()
    connection.connection.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(connection.settings_dict["NAME"])
    before = Proposal.objects.count()
    other.execute("BEGIN IMMEDIATE")
    try:
        r = client.post("/api/proposals", {"session": world.session.pk, "title": "关于加快城市更新的建议",
                                           "suggestions": "建议"}, content_type="application/json")
    finally:
        other.rollback()
        other.close()
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert "系统繁忙" in r.json()["detail"]
    assert Proposal.objects.count() == before


def test_oversized_proposal_sections_are_refused_naming_the_field(world: Any, login: Any) -> None:
    """A probe submitted three 100,000-character sections; each section now stops at 10,000 characters (the
    longest real proposal of 2019 has 4,812 in all)."""
    from lvzhi.core.api_auth import issue_token
    from lvzhi.core.errors import DomainError
    from lvzhi.proposals import actions
    from lvzhi.proposals.models import Proposal

    huge = "字" * 100_000
    _, key = issue_token(world.user("member0"), name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    r = client.post("/api/proposals", {"session": world.session.pk, "title": "关于加快城市更新的建议",
                                       "situation": huge, "analysis": huge, "suggestions": huge},
                    content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "situation"
    assert "10000" in r.json()["detail"]
    with pytest.raises(DomainError) as exc:
        actions.create_proposal(world.user("member0"), session=world.session, title="关于加快城市更新的建议",
                                suggestions="字" * 10_001)
    assert exc.value.field == "suggestions" and "10000" in str(exc.value)
    ok = actions.create_proposal(world.user("member0"), session=world.session, title="关于加快城市更新的建议",
                                 suggestions="字" * 10_000)
    assert len(Proposal.objects.get(pk=ok.pk).suggestions) == 10_000
