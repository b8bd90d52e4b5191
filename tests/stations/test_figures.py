"""数读 of the stations and a theme month's figures, counted by hand from the rule (WORKFLOWS.md §6, §8) and
recounted with plain loops over the records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.calendar import add_months
from lvzhi.core.errors import DomainError
from lvzhi.stations import actions as st
from lvzhi.stations.models import Matter, RatingCriterion, Reception
from lvzhi.stations.queries import station_figures, theme_figures

pytestmark = pytest.mark.django_db


def _build(world: Any) -> dict[str, Any]:
    """Three receptions: today at the central station (陈、林; three matters), 40 days ago at the central
    station (黄; two matters), today at the other station (吴; one matter), and one portal matter today."""
    staff = world.user("staff")
    d = world.npc.deputies
    today = timezone.localdate()
    r1 = st.register_reception(staff, world.central, date=today, deputies=[d[0], d[1]], visitors=4,
                               matters=[{"content": "路灯"}, {"content": "公交"}, {"content": "劳动仲裁中的欠薪"}])
    r2 = st.register_reception(staff, world.central, date=today - timedelta(days=40), deputies=[d[2]], visitors=2,
                               matters=[{"content": "停车难"}, {"content": "学位紧张"}])
    r3 = st.register_reception(staff, world.ordinary, date=today, deputies=[d[3]], visitors=1,
                               matters=[{"content": "噪音"}])
    portal = st.submit_portal_matter(world.central, content="公园厕所")
    m1 = list(r1.matters.order_by("id"))
    m2 = list(r2.matters.order_by("id"))
    st.answer_on_spot(staff, m1[0].pk, answer="当场联系维修")                       # solved today, raised today
    st.convert_to_suggestion(staff, m1[1].pk, deputy=d[0], title="关于公交的建议")
    st.decline(staff, m1[2].pk, ground="arbitration", reason="已申请劳动仲裁")
    st.refer(staff, m2[0].pk, to="town", referred_to="白沙街道")
    st.resolve(staff, m2[0].pk, result="新增车位")                                 # solved today, raised 40 days ago
    st.refer(staff, m2[1].pk, to="committee", referred_to="市人大常委会教科文卫工委")  # not solved
    st.answer_on_spot(staff, r3.matters.get().pk, answer="已协调")                  # solved today
    st.record_feedback(staff, m1[0].pk, to_citizen="已告知", to_deputy="已告知")
    return {"today": today, "portal": portal}


def test_station_figures_by_hand(world: Any) -> None:
    b = _build(world)
    today = b["today"]
    fig = station_figures(world.npc.council, today - timedelta(days=60), today)
    assert (fig.stations, fig.central_stations) == (2, 1)
    assert (fig.receptions, fig.visitors, fig.deputies_taking_part) == (3, 7, 4)
    assert fig.matters == 7  # 3 + 2 + 1 + the portal one
    assert fig.by_outcome == {"on_spot": 2, "suggestion": 1, "declined": 1, "town": 1, "committee": 1}
    assert (fig.untriaged, fig.converted, fig.fed_back) == (1, 1, 1)
    # solved: two on the spot and the town's result; the town's came 40 days after the reception (> 1 month)
    assert (fig.solved, fig.solved_within_month) == (3, 2)
    recent = station_figures(world.npc.council, today - timedelta(days=10), today)
    assert (recent.receptions, recent.matters, recent.deputies_taking_part) == (2, 5, 3)


def test_figures_recounted_with_plain_loops(world: Any) -> None:
    _build(world)
    start, end = timezone.localdate() - timedelta(days=45), timezone.localdate()
    fig = station_figures(world.npc.council, start, end)
    receptions = [r for r in Reception.objects.all() if start <= r.date <= end]
    deputies: set[int] = set()
    for r in receptions:
        for m in r.deputies.all():
            deputies.add(m.pk)
    matters = []
    for m in Matter.objects.all():
        raised = m.reception.date if m.reception else timezone.localdate(m.created_at)
        if start <= raised <= end:
            matters.append((m, raised))
    within = 0
    for m, raised in matters:
        if m.solved_at and timezone.localdate(m.solved_at) <= add_months(raised, 1):
            within += 1
    assert fig.receptions == len(receptions) and fig.deputies_taking_part == len(deputies)
    assert fig.matters == len(matters) and fig.solved_within_month == within
    assert fig.converted == sum(1 for m, _ in matters if m.suggestion_id)


def test_theme_month_counts_solutions_within_its_period(world: Any) -> None:
    b = _build(world)
    today = b["today"]
    theme = st.create_theme(world.user("staff"), world.npc.council, title="代表进站 民意直通",
                            start=today - timedelta(days=45), end=today)
    fig = theme_figures(theme)
    # within the theme: all three solutions fall on or before its last day (today)
    assert (fig.deputies_taking_part, fig.matters, fig.solved_within_month, fig.converted) == (4, 7, 3, 1)


def test_star_rating_by_the_published_bands(world: Any) -> None:
    staff = world.user("staff")
    crits = list(RatingCriterion.objects.filter(council=world.npc.council).order_by("order"))
    assert [c.max_points for c in crits] == [15, 15, 25, 30, 15]
    # 15 + 10 + 20 + 24 + 10 = 79: below 80, at least 70 → three stars
    pts = [15, 10, 20, 24, 10]
    rating = st.score_station(staff, world.central, year=2026,
                              scores={c.pk: (p, "台账") for c, p in zip(crits, pts, strict=True)})
    assert (rating.total, rating.stars) == (79, 3)
    with pytest.raises(DomainError) as e:
        st.score_station(staff, world.central, year=2026,
                         scores={c.pk: (c.max_points + 1, "x") for c in crits})
    assert e.value.message == "「阵地建设」的得分须在 0 到 15 之间。"
    fig = station_figures(world.npc.council, date(2026, 1, 1), date(2026, 12, 31))
    assert fig.stations_by_stars == {3: 1}
    assert st.stars_for(90, [[5, 90], [4, 80], [3, 70]]) == 5 and st.stars_for(69, [[5, 90], [3, 70]]) == 0


def test_the_station_figures_command(world: Any) -> None:
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    _build(world)
    today = timezone.localdate()
    out = StringIO()
    call_command("station_figures", council=world.npc.council.pk, start=str(today - timedelta(days=60)),
                 end=str(today), json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert (data["receptions"], data["matters"], data["converted"], data["solved_within_month"]) == (3, 7, 1, 2)
    text = StringIO()
    call_command("station_figures", council=world.npc.council.pk, start=str(today - timedelta(days=60)),
                 end=str(today), stdout=text)
    assert "转为代表建议\t1" in text.getvalue()
    with pytest.raises(CommandError):
        call_command("station_figures", council=world.npc.council.pk, start="yesterday", stdout=StringIO())


def test_station_figures_on_the_shared_statistics_page_command_and_workbook(world: Any) -> None:
    """The stations register their 数读 with lvzhi.core.sections: the statistics page, ``lvzhi stats`` and the
    workbook show them for a people's congress (same hand-counted figures as above for this year)."""
    import io
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client
    from openpyxl import load_workbook

    _build(world)
    today = timezone.localdate()
    start = today - timedelta(days=60)
    client = Client()
    client.force_login(world.user("staff"))
    page = client.get("/stats/", {"council": world.npc.council.pk, "date_from": start.isoformat(),
                                  "date_to": today.isoformat()}).content.decode()
    assert 'id="section-stations"' in page
    # 3 receptions, 7 visitors, 4 deputies, 7 matters, 2 solved within a month (of 7: 28.6%), 1 converted
    for label, value in (("进站接待", "3"), ("接待群众（人次）", "7"), ("参加接待的代表", "4"), ("收集意见建议", "7"),
                         ("当月解决", "2"), ("当月解决率", "28.6%"), ("转为代表建议", "1")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page, label
    out = StringIO()
    call_command("stats", council=world.npc.council.pk, date_from=start.isoformat(), date_to=today.isoformat(),
                 only="stations", stdout=out)
    text = out.getvalue()
    assert "代表联络站" in text and "当月解决率" in text and "28.6%" in text
    xlsx = client.get("/stats/statistics.xlsx", {"council": world.npc.council.pk, "date_from": start.isoformat(),
                                       "date_to": today.isoformat()})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["代表联络站"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["进站接待"] == 3 and values["转为代表建议"] == 1
