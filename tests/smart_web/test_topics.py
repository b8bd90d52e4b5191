"""Hot topics over imported 附件3 messages (page, API, command), bad parameters, and access to the staff smart
pages (members, units, the public: not found; leaders read the topics only)."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lvzhi.opinions import actions as op
from lvzhi.opinions.models import Message
from lvzhi.smart import service

pytestmark = pytest.mark.django_db

WINDOW = {"from": "2019-01-01", "to": "2020-01-31"}


def _import(world: Any, file3_messages: list[Any], n: int = 700) -> None:
    op.import_messages(world.council, file3_messages[:n])


def test_topics_page_and_api_on_imported_file3(world, login, file3_messages):
    _import(world, file3_messages)
    staff = login("staff")
    page = staff.get(reverse("hot-topics"), WINDOW)
    assert page.status_code == 200
    result = page.context["result"]
    stored = Message.objects.filter(council=world.council, submitted_at__isnull=False)
    assert result["n_docs"] == stored.filter(submitted_at__date__gte="2019-01-01",
                                             submitted_at__date__lte="2020-01-31").count()
    topics = result["topics"]
    assert topics and all(t["terms"] and t["count"] >= 3 for t in topics)
    assert [t["rank"] for t in topics] == list(range(1, len(topics) + 1))
    html = page.content.decode()
    assert topics[0]["label"] in html and "chart-topics" in html and "chartjs/chart.umd.min.js" in html
    # Independent checks on the first topic: its monthly series adds up to its count; its likes are the sum
    # of the likes of its cases stored in the database; growth compares the last two months.
    first = topics[0]
    assert sum(first["series"].values()) == first["count"]
    assert first["latest_count"] == first["series"][result["latest_period"]]
    likes = Counter({m.pk: m.likes or 0 for m in stored})
    shown = [c["id"] for c in first["cases"]]
    assert all(c["kind"] == "message" for c in first["cases"]) and len(shown) <= 5
    assert sorted((likes[i] for i in shown), reverse=True) == [likes[i] for i in shown]  # most liked first
    assert first["likes"] >= sum(likes[i] for i in shown)
    api = staff.get("/api/smart/topics", WINDOW)
    assert api.status_code == 200
    data = api.json()
    assert [t["label"] for t in data["topics"]] == [t["label"] for t in topics]
    assert data["topics"][0]["terms"] == first["terms"] and data["topics"][0]["count"] == first["count"]
    # A lower growth threshold can only add warnings.
    low = staff.get("/api/smart/topics", {**WINDOW, "growth": "0.01"}).json()
    assert sum(t["warning"] for t in low["topics"]) >= sum(t["warning"] for t in data["topics"])
    assert low["growth_threshold"] == 0.01


def test_default_window_ends_at_latest_case_and_bad_params(world, login, file3_messages):
    _import(world, file3_messages, 300)
    staff = login("staff")
    page = staff.get(reverse("hot-topics"))
    latest = max(Message.objects.filter(council=world.council).values_list("submitted_at", flat=True))
    assert page.status_code == 200 and page.context["result"]["to"] == service.timezone.localtime(latest).date()
    assert (page.context["result"]["to"] - page.context["result"]["from"]).days == service.DEFAULT_DAYS - 1
    for params, field in (({"days": "abc"}, "days"), ({"from": "2019-13-01"}, "from"),
                          ({"from": "2019-05-01", "to": "2019-01-01"}, "from"), ({"growth": "-1"}, "growth")):
        resp = staff.get(reverse("hot-topics"), params)
        assert resp.status_code == 400 and field in resp.context["errors"]
        api = staff.get("/api/smart/topics", params)
        assert api.status_code == 400 and api.json()["field"] == field and api.json()["detail"]


def test_hot_topics_command(world, file3_messages):
    _import(world, file3_messages, 400)
    out = io.StringIO()
    call_command("hot_topics", "--from", "2019-01-01", "--to", "2020-01-31", "--top", "5", stdout=out)
    text = out.getvalue()
    assert "| 排名 | 主题（关键词）" in text and "| 1 |" in text
    assert text.count("\n| ") <= 2 + 5


def test_staff_pages_are_not_found_for_others(world, login):
    urls = [reverse("hot-topics"), reverse("smart-models")]
    for name in ("member0", "clerk0", "head0", "leader"):
        client = login(name)
        for url in urls:
            expected = 200 if (name, url) == ("leader", reverse("hot-topics")) else 404  # leaders read topics
            assert client.get(url).status_code == expected, (name, url)
        assert client.post(reverse("smart-models")).status_code == 404
        assert client.get("/api/smart/topics").status_code == (200 if name == "leader" else 404)
        assert client.get("/api/smart/models").status_code == 404
    public = Client()
    for url in urls:
        resp = public.get(url)
        assert resp.status_code == 302 and "login" in resp.url
    assert public.get("/api/smart/topics").status_code == 401
    # Staff of another council cannot see this council's training jobs.
    from tests.conftest import build_world

    other = build_world("另一市政协")
    client = Client()
    client.force_login(other.user("staff"))
    staff = login("staff")
    resp = staff.post(reverse("smart-models"))
    job_url = resp.url
    assert client.get(job_url).status_code == 404 and staff.get(job_url).status_code == 200
