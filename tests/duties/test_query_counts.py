"""The meeting page, the ranking and a member's record run a constant number of queries whatever the number
of invitees, members and acts (no N+1): rendered at two sizes with the same count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.duties import actions as act
from lvzhi.members import actions as org
from lvzhi.members.models import Member
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def _grow(world: World, n: int) -> None:
    term = world.members[0].term
    for i in range(Member.objects.filter(council=world.council).count(), n):
        org.save_member(None, world.council, term, name=f"委员{i:03d}")


def test_constant_queries(world: World) -> None:
    staff = world.user("staff")
    act.install_example(staff, world.council, "tongcheng", activate=True)
    client = Client()
    client.force_login(staff)
    counts = []
    for size in (5, 60):
        _grow(world, size)
        members = list(Member.objects.filter(council=world.council))
        start = timezone.now() - timedelta(days=1, hours=size)
        m = act.create_meeting(staff, world.council, kind="plenary", title=f"全会{size}", start=start,
                               end=start + timedelta(hours=3), invitees=members)
        act.mark_attendance(staff, m.pk, present=[x.pk for x in members[::2]])
        for x in members[:3]:
            act.record_contribution(staff, world.council, member=x, kind="written", title="书面发言", meeting=m)
        year = timezone.localdate(start).year
        counts.append((_count(client, f"/duties/meetings/{m.pk}/"), _count(client, "/duties/scores/", year=year),
                       _count(client, f"/duties/record/{members[0].pk}/", year=year),
                       _count(client, "/duties/meetings/")))
    assert counts[0] == counts[1], counts
