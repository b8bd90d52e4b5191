"""The list endpoint's number of queries does not grow with the number of rows (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.proposals import actions as act

pytestmark = pytest.mark.django_db


def _file_some(world, n):
    for i in range(n):
        p = act.create_proposal(world.user(f"member{i % 3}"), session=world.session, title=f"关于第{i}件事的建议",
                                category=world.categories[i % 2], suggestions="建议")
        act.submit_proposal(world.user(f"member{i % 3}"), p.pk)
        act.file_proposal(world.user("staff"), p.pk)


def _count(client, path, **params):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path, **params)
    assert r.status_code == 200
    return len(ctx.captured_queries), r.json()


@pytest.mark.parametrize("role", ["staff", "member1", "leader"])
def test_list_query_count_is_constant(api, world, role):
    client = api(role)
    client.get("/api/org/me")  # the first request refreshes last_used_at; keep it out of the counts
    _file_some(world, 2)
    few, page = _count(client, "/api/proposals")
    assert page["total"] == 2
    _file_some(world, 12)
    many, page = _count(client, "/api/proposals")
    assert page["total"] == 14 and len(page["items"]) == 14
    assert many == few
    filtered, page = _count(client, "/api/proposals", category=world.categories[0].pk, limit=5, offset=2)
    assert page["total"] == 7 and len(page["items"]) == 5 and page["offset"] == 2
    assert filtered == few


def test_detail_query_count_is_bounded(api, world):
    client = api("staff")
    client.get("/api/org/me")
    _file_some(world, 1)
    pid = client.get("/api/proposals").json()["items"][0]["id"]
    few, _ = _count(client, f"/api/proposals/{pid}")
    act.key = act.set_key_proposal(world.user("staff"), pid, is_key=True, supervising_leader="市长")
    act.mark_excellent(world.user("staff"), pid, year=2026)
    more, detail = _count(client, f"/api/proposals/{pid}")
    assert len(detail["timeline"]) > 4
    assert more == few
