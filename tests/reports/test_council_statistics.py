"""The whole 数读: 社情民意 and 群众意见 figures on the statistics page, in the ``stats`` command, in the
statistics workbook and in ``GET /api/reports/summary``, checked against numbers computed here with plain loops
over the model rows (reports and messages built through ``lvzhi.opinions.actions`` in the conftest)."""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from datetime import timedelta
from io import StringIO
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from lvzhi.opinions.models import Instruction, Message, Report
from lvzhi.reports.queries import proposal_statistics
from tests.states import state_code

pytestmark = pytest.mark.django_db

LEVELS = ["district", "city", "province", "national"]
LEVEL_LABELS = ["区（县）级", "市级", "省级", "国家级"]
CHANNELS = ["portal", "letter", "visit", "enterprise", "imported"]
RATINGS = ["satisfied", "basically", "unsatisfied"]


def _since(ds) -> Any:
    return timezone.localdate() - timedelta(days=30)


def expected_opinions(council, date_from) -> dict[str, Any]:
    """社情民意 figures of ``council`` for reports submitted on or after ``date_from``, by plain loops."""
    reports = [r for r in Report.objects.filter(council=council) if r.submitted_at is not None
               and timezone.localdate(r.submitted_at) >= date_from]
    ids = {r.pk for r in reports}
    instructions = [i for i in Instruction.objects.all() if i.report_id in ids]
    out: dict[str, Any] = {"submitted": len(reports), "adopted": 0, "kept": 0, "instructions": len(instructions)}
    for r in reports:
        out["adopted"] += r.adopted_at is not None
        out["kept"] += r.state.code == state_code("kept")
    out["adoption_rate"] = out["adopted"] / out["submitted"] if out["submitted"] else None
    out["instructed_reports"] = len({i.report_id for i in instructions})
    out["levels"] = {lv: (sum(1 for i in instructions if i.level == lv),
                          len({i.report_id for i in instructions if i.level == lv})) for lv in LEVELS}
    authors: dict[str, list[int]] = {}
    per_report = Counter(i.report_id for i in instructions)
    for r in reports:
        entry = authors.setdefault(r.submitter_name, [0, 0, 0])
        entry[0] += 1
        entry[1] += r.adopted_at is not None
        entry[2] += per_report[r.pk]
    out["authors"] = {name: tuple(v) for name, v in authors.items()}
    return out


def expected_messages(council, date_from) -> dict[str, Any]:
    """群众意见 figures of ``council`` for messages submitted on or after ``date_from``, by plain loops."""
    messages = [m for m in Message.objects.filter(council=council) if m.submitted_at is not None
                and timezone.localdate(m.submitted_at) >= date_from]
    out: dict[str, Any] = {"received": len(messages), "channels": Counter(m.channel for m in messages)}
    answered = [m for m in messages if m.reply_status == "sent"]
    out["answered"] = len(answered)
    out["answer_rate"] = len(answered) / len(messages) if messages else None
    durations = sorted((m.replied_at - m.submitted_at).total_seconds() / 86400 for m in answered if m.replied_at)
    n = len(durations)
    out["median"] = (durations[n // 2] if n % 2 else (durations[n // 2 - 1] + durations[n // 2]) / 2) if n else None
    out["p90"] = durations[math.ceil(0.9 * n) - 1] if n else None
    out["ratings"] = Counter(m.rating for m in messages if m.rating)
    out["rated"] = sum(out["ratings"].values())
    good = out["ratings"]["satisfied"] + out["ratings"]["basically"]
    out["satisfaction_rate"] = good / out["rated"] if out["rated"] else None
    out["categories"] = Counter(m.category for m in messages if m.category)
    out["units"] = Counter(m.reply_unit.name for m in answered)
    return out


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def test_the_fixture_is_what_the_tests_expect(full_dataset):
    """Guard the hand-made data: the independent count itself sees the intended cases."""
    council = full_dataset.world.council
    eo = expected_opinions(council, _since(full_dataset))
    assert (eo["submitted"], eo["adopted"], eo["kept"], eo["instructions"]) == (7, 4, 2, 4)
    assert eo["levels"] == {"district": (1, 1), "city": (1, 1), "province": (1, 1), "national": (1, 1)}
    assert eo["authors"]["张三"] == (3, 2, 2)
    em = expected_messages(council, _since(full_dataset))
    assert (em["received"], em["answered"], em["rated"]) == (6, 4, 3)
    assert em["channels"] == {"portal": 2, "letter": 2, "visit": 1, "enterprise": 1}
    assert 3.9 < em["median"] < 4.1 and 9.9 < em["p90"] < 10.1  # answered after about 0, 3, 5 and 10 days


# ---------------------------------------------------------------------------------------------- page


def test_page_shows_report_and_message_figures(client, full_dataset):
    ds = full_dataset
    since = _since(ds)
    client.force_login(ds.user("staff"))
    response = client.get(reverse("stats"), {"date_from": since.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    eo, em = expected_opinions(ds.world.council, since), expected_messages(ds.world.council, since)

    def figure(block: str, key: str) -> str:
        section = re.search(rf'<dl class="stats-figures" id="{block}">(.*?)</dl>', html, re.S).group(1)
        return re.search(rf'data-key="{key}"><dt>[^<]*</dt><dd>([^<]*)</dd>', section).group(1)

    assert figure("opinion-figures", "submitted") == str(eo["submitted"])
    assert figure("opinion-figures", "adopted") == str(eo["adopted"])
    assert figure("opinion-figures", "adoption_rate") == _pct(eo["adoption_rate"]) == "57.1%"
    assert figure("opinion-figures", "instructions") == str(eo["instructions"])
    assert figure("message-figures", "received") == str(em["received"])
    assert figure("message-figures", "answered") == str(em["answered"])
    assert figure("message-figures", "answer_rate") == _pct(em["answer_rate"])
    assert figure("message-figures", "answer_days_median") == f"{em['median']:.1f}"
    assert figure("message-figures", "answer_days_p90") == f"{em['p90']:.1f}"
    assert figure("message-figures", "satisfaction_rate") == _pct(em["satisfaction_rate"]) == "66.7%"
    levels = re.search(r'id="instruction-levels">(.*?)</table>', html, re.S).group(1)
    for code in LEVELS:
        row = re.search(rf'data-level="{code}"><td>[^<]*</td><td class="num">(\d+)</td><td class="num">(\d+)</td>',
                        levels)
        assert (int(row.group(1)), int(row.group(2))) == eo["levels"][code]
    authors = re.search(r'id="top-authors">(.*?)</table>', html, re.S).group(1)
    for name, (submitted, adopted, instructed) in eo["authors"].items():
        assert re.search(rf"<td>{name}</td><td>[^<]*</td><td class=\"num\">{submitted}</td>"
                         rf"<td class=\"num\">{adopted}</td><td class=\"num\">{re.escape(_pct(adopted / submitted))}"
                         rf"</td><td class=\"num\">{instructed}</td>", authors), name
    for table, counts in (("message-categories", em["categories"]), ("message-units", em["units"])):
        body = re.search(rf'id="{table}">(.*?)</table>', html, re.S).group(1)
        shown = {k: int(v) for k, v in re.findall(r'<tr><td>([^<]+)</td><td class="num">(\d+)</td></tr>', body)}
        assert shown == dict(counts)
    assert 'id="chart-channel"' in html and 'id="chart-level"' in html
    data = json.loads(re.search(r'<script id="stats-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["channel"]["counts"] == [em["channels"][c] for c in CHANNELS]
    assert data["level"]["labels"] == LEVEL_LABELS
    assert data["level"]["instructions"] == [eo["levels"][lv][0] for lv in LEVELS]
    assert f'href="{reverse("opinions-stats")}?from={since.isoformat()}"' in html
    assert "届次、会次筛选只适用于提案" in html
    # the page's figures are the opinions queries' own (one definition)
    assert response.context["opinions"]["by_author"][0]["name"] == "张三"


def test_term_and_session_filter_proposals_only(client, full_dataset):
    ds = full_dataset
    client.force_login(ds.user("leader"))
    old = ds.old_session
    response = client.get(reverse("stats"), {"term": old.term_id, "session": old.pk})
    assert response.status_code == 200
    assert response.context["stats"].received == 2
    everything = expected_opinions(ds.world.council, timezone.localdate() - timedelta(days=10_000))
    assert response.context["opinions"]["submitted"] == everything["submitted"] == 8  # with last year's report
    assert response.context["message_stats"]["received"] == 7


def test_page_without_reports_or_messages(client, dataset):
    client.force_login(dataset.user("staff"))
    html = client.get(reverse("stats")).content.decode()
    assert 'data-key="adoption_rate"><dt>采用率</dt><dd>—</dd>' in html
    assert 'data-key="answer_days_median"><dt>答复用时中位数（自然日）</dt><dd>—</dd>' in html


# ---------------------------------------------------------------------------------------------- command


def _line_value(text: str, label: str) -> str:
    line = next(ln for ln in text.splitlines() if ln.startswith(label + " "))
    return line.split()[-1]


def test_command_prints_the_two_sections(full_dataset):
    ds = full_dataset
    since = _since(ds)
    out = StringIO()
    call_command("stats", "--council", str(ds.world.council.pk), "--from", since.isoformat(), stdout=out)
    text = out.getvalue()
    eo, em = expected_opinions(ds.world.council, since), expected_messages(ds.world.council, since)
    assert text.index("收到提案") < text.index("━━ 社情民意") < text.index("━━ 群众意见")
    opinions, messages = text[text.index("━━ 社情民意"):text.index("━━ 群众意见")], text[text.index("━━ 群众意见"):]
    assert _line_value(opinions, "报送信息") == str(eo["submitted"])
    assert _line_value(opinions, "采用信息") == str(eo["adopted"])
    assert _line_value(opinions, "采用率") == _pct(eo["adoption_rate"])
    assert _line_value(messages, "收到群众意见") == str(em["received"])
    assert _line_value(messages, "答复率") == _pct(em["answer_rate"])
    assert _line_value(messages, "答复用时中位数（自然日）") == f"{em['median']:.1f}"
    assert _line_value(messages, "答复用时90%分位（自然日）") == f"{em['p90']:.1f}"
    assert _line_value(messages, "满意率（满意+基本满意）") == _pct(em["satisfaction_rate"])
    levels = {ln.split()[0]: (int(ln.split()[1]), int(ln.split()[2])) for ln in text.splitlines()
              if ln.strip() and ln.split()[0] in LEVEL_LABELS}
    assert levels == {label: eo["levels"][lv] for label, lv in zip(LEVEL_LABELS, LEVELS, strict=True)}
    assert "  张三（委员）" in text and f"{ds.world.council.name} {since} 至 …" in text
    units = text[text.index("【答复最多的单位】"):].splitlines()[1:]
    assert {ln.split()[0]: int(ln.split()[1]) for ln in units if ln.strip()} == dict(em["units"])


def test_command_only_one_section(full_dataset):
    council = full_dataset.world.council
    out = StringIO()
    call_command("stats", "--council", str(council.pk), "--only", "messages", stdout=out)
    text = out.getvalue()
    assert "━━ 群众意见" in text and "社情民意" not in text and "收到提案" not in text
    assert _line_value(text, "收到群众意见") == "7"  # every date: with last year's letter
    out = StringIO()
    call_command("stats", "--council", str(council.pk), "--only", "proposals", stdout=out)
    assert "收到提案" in out.getvalue() and "━━" not in out.getvalue()
    with pytest.raises(CommandError):
        call_command("stats", "--council", str(council.pk), "--only", "votes", stdout=StringIO())


# ---------------------------------------------------------------------------------------------- workbook


def _blocks(ws) -> list[list[tuple]]:
    """The sheet's blocks of rows (separated by empty rows), each starting with its header row; cells kept."""
    blocks: list[list[tuple]] = [[]]
    for row in ws.iter_rows():
        if all(c.value is None for c in row):
            blocks.append([])
        else:
            blocks[-1].append(row)
    return [b for b in blocks if b]


def _check_workbook(wb, ds, since) -> None:
    eo, em = expected_opinions(ds.world.council, since), expected_messages(ds.world.council, since)
    summary, levels, authors = _blocks(wb["社情民意"])
    figures = {r[0].value: r[1] for r in summary[1:]}
    assert figures["报送信息"].value == eo["submitted"]
    assert figures["采用信息"].value == eo["adopted"] and figures["留存信息"].value == eo["kept"]
    assert figures["采用率"].value == pytest.approx(eo["adoption_rate"]) and figures["采用率"].number_format == "0.0%"
    assert figures["领导批示（件次）"].value == eo["instructions"]
    assert figures["获批示信息（篇）"].value == eo["instructed_reports"]
    assert [c.value for c in levels[0]][:3] == ["批示级别", "批示件次", "获批示信息（篇）"]
    assert {r[0].value: (r[1].value, r[2].value) for r in levels[1:]} == {
        label: eo["levels"][lv] for label, lv in zip(LEVEL_LABELS, LEVELS, strict=True)}
    assert [c.value for c in authors[0]] == ["报送者", "类型", "报送", "采用", "采用率", "批示"]
    assert {r[0].value: (r[2].value, r[3].value, r[5].value) for r in authors[1:]} == eo["authors"]
    assert all(r[4].number_format == "0.0%" for r in authors[1:])

    summary, channels, ratings, categories, units = _blocks(wb["群众意见"])
    figures = {r[0].value: r[1] for r in summary[1:]}
    assert figures["收到群众意见"].value == em["received"] and figures["已答复"].value == em["answered"]
    assert figures["答复率"].value == pytest.approx(em["answer_rate"])
    assert figures["答复用时中位数（自然日）"].value == pytest.approx(em["median"])
    assert figures["答复用时中位数（自然日）"].number_format == "0.0"
    assert figures["答复用时90%分位（自然日）"].value == pytest.approx(em["p90"])
    assert figures["满意率（满意+基本满意）"].value == pytest.approx(em["satisfaction_rate"])
    assert figures["满意率（满意+基本满意）"].number_format == "0.0%"
    labels = {"portal": "网上留言", "letter": "来信", "visit": "来访", "enterprise": "企业问题", "imported": "导入"}
    assert {r[0].value: (r[1].value, r[2].value) for r in channels[1:]} == {
        labels[c]: (em["channels"][c], pytest.approx(em["channels"][c] / em["received"])) for c in CHANNELS}
    assert channels[1][2].number_format == "0.0%"
    names = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}
    assert {r[0].value: r[1].value for r in ratings[1:]} == {names[k]: em["ratings"][k] for k in RATINGS}
    assert {r[0].value: r[1].value for r in categories[1:]} == dict(em["categories"])
    assert {r[0].value: r[1].value for r in units[1:]} == dict(em["units"])


def test_workbook_has_the_report_and_message_sheets(client, full_dataset, tmp_path):
    ds = full_dataset
    since = _since(ds)
    client.force_login(ds.user("staff"))
    response = client.get(reverse("stats-xlsx"), {"date_from": since.isoformat()})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames[-2:] == ["社情民意", "群众意见"]
    _check_workbook(wb, ds, since)
    path = tmp_path / "数读.xlsx"
    call_command("stats", "--council", str(ds.world.council.pk), "--from", since.isoformat(), "--only", "opinions",
                 "--xlsx", str(path), stdout=StringIO())
    _check_workbook(openpyxl.load_workbook(path), ds, since)


# ---------------------------------------------------------------------------------------------- API


def test_api_summary(client, full_dataset):
    ds = full_dataset
    since = _since(ds)
    client.force_login(ds.user("staff"))
    response = client.get("/api/reports/summary", {"date_from": since.isoformat()})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"proposals", "opinions", "messages"}
    expected = proposal_statistics(ds.world.council, date_from=since).as_dict()
    expected["scope"].pop("label")
    assert body["proposals"] == json.loads(json.dumps(expected))
    eo, em = expected_opinions(ds.world.council, since), expected_messages(ds.world.council, since)
    o, m = body["opinions"], body["messages"]
    assert (o["submitted"], o["adopted"], o["kept"], o["instructions"]) == (
        eo["submitted"], eo["adopted"], eo["kept"], eo["instructions"])
    assert o["adoption_rate"] == pytest.approx(eo["adoption_rate"])
    assert {k: (v["instructions"], v["reports"]) for k, v in o["instructed_by_level"].items()} == eo["levels"]
    assert {a["name"]: (a["submitted"], a["adopted"], a["instructions"]) for a in o["by_author"]} == eo["authors"]
    assert (m["received"], m["answered"], m["rated"]) == (em["received"], em["answered"], em["rated"])
    assert {k: v["count"] for k, v in m["by_channel"].items() if v["count"]} == dict(em["channels"])
    assert m["answer_days_median"] == pytest.approx(em["median"]) and m["answer_days_p90"] == pytest.approx(em["p90"])
    assert m["satisfaction_rate"] == pytest.approx(em["satisfaction_rate"])
    assert {k: v for k, v in m["top_categories"]} == dict(em["categories"])
    assert {k: v for k, v in m["top_units"]} == dict(em["units"])
    # the term and session filter proposals only
    old = ds.old_session
    body = client.get("/api/reports/summary", {"session": old.pk}).json()
    assert body["proposals"]["received"] == 2 and body["opinions"]["submitted"] == 8
    assert body["messages"]["received"] == 7
    # errors name the field, as /proposals does
    response = client.get("/api/reports/summary", {"session": ds.other_world.session.pk})
    assert response.status_code == 400 and response.json()["field"] == "session"
    response = client.get("/api/reports/summary", {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert response.status_code == 400 and response.json()["field"] == "date_from"
    assert client.get("/api/reports/summary", {"date_to": "yesterday"}).status_code == 422
    client.force_login(ds.user("leader"))
    assert client.get("/api/reports/summary").json()["opinions"]["submitted"] == 8


@pytest.mark.parametrize("who", ["member0", "clerk0", "head1"])
def test_summary_hidden_from_members_and_units(client, full_dataset, who):
    client.force_login(full_dataset.user(who))
    assert client.get("/api/reports/summary").status_code == 404
    assert client.get(reverse("stats")).status_code == 404
    assert client.get(reverse("stats-xlsx")).status_code == 404


def test_summary_of_another_council_is_not_found(client, full_dataset):
    ds = full_dataset
    client.force_login(ds.other_world.user("staff"))
    own = client.get("/api/reports/summary").json()
    assert (own["opinions"]["submitted"], own["messages"]["received"]) == (1, 1)
    assert client.get("/api/reports/summary", {"council": ds.world.council.pk}).status_code == 404
    client.logout()
    assert client.get("/api/reports/summary").status_code == 401
