"""The stations API: the writers' errors as JSON with the field, schema errors as 422."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.stations.models import Matter
from lvzhi.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_reception_triage_and_figures_through_the_api(world: Any) -> None:
    staff = api(world.user("staff"))
    base = f"/api/stations/{world.central.pk}"
    body = {"date": timezone.localdate().isoformat(), "deputies": [world.npc.deputies[0].pk], "visitors": 3, "token": "a1",
            "matters": [{"content": "路灯坏了"}, {"content": "增开公交"}]}
    r = staff.post(f"{base}/receptions", body, content_type="application/json")
    assert r.status_code == 201, r.content
    matters = r.json()["matters"]
    assert [m["content"] for m in matters] == ["路灯坏了", "增开公交"] and not matters[0]["closed"]
    again = staff.post(f"{base}/receptions", body, content_type="application/json")
    assert again.status_code == 409 and "重复" in again.json()["detail"]
    empty = staff.post(f"{base}/receptions", {**body, "token": "a2", "matters": [{"content": " "}]},
                       content_type="application/json")
    assert empty.status_code == 400 and empty.json()["field"] == "matters.1.content"
    first, second = matters
    no_reason = staff.post(f"/api/stations/matters/{first['id']}/decline",
                           {"ground": "review", "reason": "", "version": first["version"]},
                           content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    ok = staff.post(f"/api/stations/matters/{first['id']}/answer", {"answer": "已维修", "version": first["version"]},
                    content_type="application/json")
    assert ok.status_code == 200 and ok.json()["outcome"] == "on_spot"
    conv = staff.post(f"/api/stations/matters/{second['id']}/convert",
                      {"deputy": world.npc.deputies[0].pk, "title": "关于增开公交的建议"},
                      content_type="application/json")
    assert conv.status_code == 200 and conv.json()["suggestion_id"] == Suggestion.objects.get().pk
    wrong = api(world.user("clerk0")).post(f"/api/stations/matters/{second['id']}/feedback",
                                           {"to_citizen": "a", "to_deputy": "b"}, content_type="application/json")
    assert wrong.status_code == 404
    fig = staff.get(f"/api/stations/figures?council={world.npc.council.pk}&start={timezone.localdate()}&end={timezone.localdate()}")
    assert fig.status_code == 200
    assert fig.json()["matters"] == 2 and fig.json()["by_outcome"] == {"on_spot": 1, "suggestion": 1}
    assert Matter.objects.count() == 2


def test_turns_through_the_api(world: Any) -> None:
    staff = api(world.station_staff)
    base = f"/api/stations/{world.central.pk}/turns"
    late = staff.post(base, {"date": timezone.localdate().isoformat(), "half_day": "am",
                             "deputies": [world.npc.deputies[0].pk]}, content_type="application/json")
    assert late.status_code == 400 and late.json()["field"] == "date"
    ok = staff.post(base, {"date": (timezone.localdate() + timedelta(days=3)).isoformat(), "half_day": "pm",
                           "deputies": [world.npc.deputies[0].pk]}, content_type="application/json")
    assert ok.status_code == 201
    turn = ok.json()["id"]
    confirm = api(world.user("deputy0")).post(f"/api/stations/turns/{turn}/confirm")
    assert confirm.status_code == 200 and confirm.json()["deputies"][0]["confirmed"] is True
    assert api(world.user("deputy1")).post(f"/api/stations/turns/{turn}/confirm").status_code == 404
    assert staff.post(base, {"date": "soon"}, content_type="application/json").status_code == 422
    assert api(world.user("deputy0")).post(base, {"date": (timezone.localdate() + timedelta(days=3)).isoformat(),
                                                  "half_day": "am", "deputies": [world.npc.deputies[0].pk]},
                                           content_type="application/json").status_code == 404
