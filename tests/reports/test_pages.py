"""The statistics page and the statistics API: who sees them, filters, errors, the Chart.js tag."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from lvzhi.reports.queries import proposal_statistics

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.logout()
    client.force_login(user)
    return client


def test_stats_page_renders_with_local_chartjs(client, dataset):
    response = _as(client, dataset.user("staff")).get(reverse("stats"))
    assert response.status_code == 200
    html = response.content.decode()
    src = re.search(r'<script src="(/static/vendor/chartjs/[^"]+)"', html)
    assert src and src.group(1) == "/static/vendor/chartjs/chart.umd.min.js"
    assert finders.find("vendor/chartjs/chart.umd.min.js") and finders.find("vendor/chartjs/LICENSE.md")
    assert "/static/js/stats.js" in html and "cdn" not in html.lower()
    for canvas in ("chart-category", "chart-kind", "chart-grade", "chart-satisfaction"):
        assert f'id="{canvas}"' in html
    data = json.loads(re.search(r'<script id="stats-data" type="application/json">(.*?)</script>', html).group(1))
    stats = proposal_statistics(dataset.world.council)
    assert data["category"]["counts"] == [r.received for r in stats.by_category]
    assert data["grade"]["counts"] == [3 + 1, 1, 1, 1]
    assert data["satisfaction"]["labels"] == ["满意", "基本满意", "不满意"]
    assert reverse("stats-xlsx") in html
    assert "57.1%" in html and "市发展和改革局" in html


def test_stats_page_filters(client, dataset):
    c = _as(client, dataset.user("leader"))
    old = dataset.old_session
    response = c.get(reverse("stats"), {"term": old.term_id, "session": old.pk})
    assert response.status_code == 200
    assert response.context["stats"].received == 2
    assert f'href="{reverse("stats-xlsx")}?term={old.term_id}&amp;session={old.pk}"' in response.content.decode()
    response = c.get(reverse("stats"), {"date_from": "2026-02-30"})
    assert response.status_code == 400 and response.context["stats"] is None
    assert response.context["form"].errors["date_from"]
    response = c.get(reverse("stats"), {"session": dataset.other_world.session.pk})  # another council's
    assert response.status_code == 400 and "session" in response.context["form"].errors
    response = c.get(reverse("stats"), {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["date_from"] == ["开始日期不能晚于结束日期。"]
    assert c.get(reverse("stats-xlsx"), {"date_from": "x"}).status_code == 400


@pytest.mark.parametrize("who", ["member0", "clerk0", "head1"])
def test_stats_hidden_from_members_and_units(client, dataset, who):
    c = _as(client, dataset.user(who))
    assert c.get(reverse("stats")).status_code == 404
    assert c.get(reverse("stats-xlsx")).status_code == 404
    assert c.get("/api/reports/proposals").status_code == 404


def test_stats_of_another_council_are_not_found(client, dataset):
    c = _as(client, dataset.other_world.user("staff"))
    assert c.get(reverse("stats")).context["stats"].received == 1  # their own council
    assert c.get(reverse("stats"), {"council": dataset.world.council.pk}).status_code == 404
    assert c.get("/api/reports/proposals", {"council": dataset.world.council.pk}).status_code == 404
    client.logout()
    assert client.get(reverse("stats")).status_code == 302  # anonymous: log in first


def test_council_admin_sees_stats(client, dataset):
    response = _as(client, dataset.user("admin")).get(reverse("stats"))
    assert response.status_code == 200 and response.context["stats"].received == 14


def test_stats_api(client, dataset):
    c = _as(client, dataset.user("staff"))
    response = c.get("/api/reports/proposals")
    assert response.status_code == 200
    body = response.json()
    stats = proposal_statistics(dataset.world.council)
    expected = stats.as_dict()
    expected["scope"].pop("label")  # a method of the scope, not a field of the schema
    assert body == json.loads(json.dumps(expected))
    assert body["received"] == 14 and body["filing_rate"] == pytest.approx(8 / 14)
    response = c.get("/api/reports/proposals", {"session": dataset.old_session.pk})
    assert response.json()["received"] == 2 and response.json()["scope"]["session_number"] == 2
    response = c.get("/api/reports/proposals", {"session": dataset.other_world.session.pk})
    assert response.status_code == 400 and response.json()["field"] == "session"
    response = c.get("/api/reports/proposals", {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert response.status_code == 400 and response.json() == {"detail": "开始日期不能晚于结束日期。",
                                                               "field": "date_from"}
    assert c.get("/api/reports/proposals", {"date_to": "yesterday"}).status_code == 422
    assert _as(client, dataset.user("leader")).get("/api/reports/proposals").json()["received"] == 14
    client.logout()
    assert client.get("/api/reports/proposals").status_code == 401


MESSAGE_KEYS = ("received", "by_channel", "answered", "answer_rate", "satisfaction", "top_categories", "top_units",
                "answer_days_median", "answer_days_p90", "rated", "satisfaction_rate")


@pytest.mark.parametrize("who", ["staff", "leader", "admin"])
def test_stats_page_shows_no_raw_keys_as_message_boxes(client, dataset, who):
    # the message statistics once went into the context as ``messages`` and the base template's flash-message
    # loop printed each of its keys ("received", "by_channel", … "top_units") above the title
    html = _as(client, dataset.user(who)).get(reverse("stats")).content.decode()
    assert 'class="msg' not in html and 'class="messages"' not in html
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
    assert not [k for k in MESSAGE_KEYS if re.search(rf"(?<![\w-]){k}(?![\w-])", text)]
