"""The duty record (履职档案) computed from the records of every app: meetings, speeches, proposals (first
proposer vs co-signer, filed, key, excellent), deputies' suggestions (leading vs seconding, accepted),
public-opinion reports (adopted, instructed, level); a later module adds its acts through the registry; who
may see whose record; the printable Word record."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.test import Client
from docx import Document

from lvzhi.duties import actions as act
from lvzhi.duties import acts as registry
from lvzhi.duties.acts import Act, ActKind
from lvzhi.duties.rules import spec_from_dict, validate
from lvzhi.duties.scoring import score_council, year_bounds
from tests.conftest import World
from tests.duties.conftest import YEAR, aware

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_acts_of_a_year(record_world: World) -> None:
    zhang, li, wang = record_world.members
    acts = registry.acts_of(record_world.council, *year_bounds(YEAR))
    mine = [a for a in acts if a.member_id == zhang.pk]
    assert Counter(a.kind for a in mine) == {"meeting": 8, "proposal": 4, "speech": 1, "report": 1}
    proposals = {a.title: dict(a.attrs) for a in mine if a.kind == "proposal"}
    assert proposals["关于建设侨乡文化街区的提案"] == {"role": "first", "cosigners": 1, "filed": True, "key": True,
                                                   "excellent": True}
    assert proposals["关于增设社区食堂的提案"]["filed"] is False
    assert proposals["关于加强职业教育的提案"] == {"role": "co", "cosigners": 2, "filed": True, "key": False,
                                                 "excellent": False}
    wang_reports = sorted((a.title, a.attrs["adopted"]) for a in acts if a.member_id == wang.pk and a.kind == "report")
    assert wang_reports == [("关于农村养老的社情民意", True), ("关于校外培训的社情民意", False)]
    li_meetings = {a.title: a.attrs["outcome"] for a in acts if a.member_id == li.pk and a.kind == "meeting"}
    assert li_meetings["2025年全体会议"] == "excused" and li_meetings["常委会第五次会议"] == "unexcused"
    # the period bounds the record: nothing of 2025 in 2024
    assert registry.acts_of(record_world.council, *year_bounds(YEAR - 1)) == []


def test_instructions_count_by_level(record_world: World) -> None:
    from lvzhi.opinions import actions as op
    from lvzhi.opinions.models import Report

    staff = record_world.user("staff")
    r = Report.objects.get(title="关于老旧小区加装电梯的社情民意")
    op.sign_off_report(staff, r.pk)
    issue = op.create_issue(staff, record_world.council, year=YEAR, number=1, date=date(YEAR, 3, 5))
    op.publish_report(staff, r.pk, issue=issue)
    op.record_instruction(staff, r.pk, leader_name="市长", level="city", date=date(YEAR, 3, 10), text="请研究。")
    op.record_instruction(staff, r.pk, leader_name="副省长", level="province", date=date(YEAR, 3, 20), text="阅。")
    act_ = next(a for a in registry.acts_of(record_world.council, *year_bounds(YEAR)) if a.key == f"report:{r.pk}")
    assert act_.attrs == {"adopted": True, "instructed": True, "instructions": 2, "level": "province"}


def test_suggestions_leading_and_seconding_deputies() -> None:
    from lvzhi.suggestions import actions as sa
    from tests.cases.npc import build_npc

    npc = build_npc()
    chen, lin = npc.deputies[:2]
    s = sa.create_suggestion(npc.user("deputy0"), session=npc.session, title="关于优化公交线网的建议",
                             content="建议内容", seconders=[lin], delegation=npc.delegations[0])
    sa.respond_to_invitation(npc.user("deputy1"), s.pk, accept=True)
    sa.submit(npc.user("deputy0"), s.pk, at=aware(YEAR, 6, 1, 9, 0))
    sa.accept(npc.user("staff"), s.pk)
    got = {a.member_id: dict(a.attrs) for a in registry.acts_of(npc.council, *year_bounds(YEAR))
           if a.kind == "suggestion"}
    assert got == {chen.pk: {"role": "first", "cosigners": 1, "accepted": True, "key": False, "excellent": False},
                   lin.pk: {"role": "co", "cosigners": 1, "accepted": True, "key": False, "excellent": False}}


def test_a_later_module_adds_its_acts_without_touching_this_app(record_world: World) -> None:
    """A liaison-station module registers receptions (接待); rules can then score them: 张三 received
    visitors twice at 3 points each → 6."""
    zhang = record_world.members[0]

    def receptions(council: Any, start: date, end: date, member_ids: set[int] | None) -> list[Act]:
        return [Act(zhang.pk, "station_duty", date(YEAR, m, 5), "联络站接待", "", f"station_duty:{m}", {"visitors": 4})
                for m in (4, 9) if start <= date(YEAR, m, 5) <= end]

    registry.register("test_stations", "联络站", [ActKind("station_duty", "联络站接待", {"visitors": "接待人数"})], receptions)
    try:
        spec = spec_from_dict({"name": "接待", "items": [{"label": "接待选民", "act_kind": "station_duty", "points": 3}],
                               "grades": [{"name": "全部"}]})
        assert validate(spec) == []
        result = {s.name: s.score for s in score_council(record_world.council, *year_bounds(YEAR), spec=spec).members}
        assert result["张三"] == 6 and result["李四"] == 0
    finally:
        registry.unregister("test_stations")
    assert validate(spec)[0].startswith("第 1 项「接待选民」：未知的履职事项「station_duty」")


def test_who_sees_whose_record_and_the_word_record(record_world: World) -> None:
    act.install_example(record_world.user("staff"), record_world.council, "tongcheng", activate=True)
    zhang, li, _wang = record_world.members
    me = client_for(record_world.user("member0"))
    r = me.get("/duties/record/", {"year": YEAR})
    assert r.status_code == 302 and r["Location"] == f"/duties/record/{zhang.pk}/?year={YEAR}"
    page = me.get(f"/duties/record/{zhang.pk}/", {"year": YEAR}).content.decode()
    assert '<span id="score-total">100.00</span>' in page and "联名提案：第一提案人折半" in page
    assert me.get(f"/duties/record/{li.pk}/", {"year": YEAR}).status_code == 404
    assert me.get("/duties/scores/").status_code == 404
    for who in ("staff", "leader"):
        c = client_for(record_world.user(who))
        assert "52.00" in c.get(f"/duties/record/{li.pk}/", {"year": YEAR}).content.decode()
        ranking = c.get("/duties/scores/", {"year": YEAR}).content.decode()
        assert ranking.index("张三") < ranking.index("李四") < ranking.index("王五")
    assert client_for(record_world.user("clerk0")).get(f"/duties/record/{li.pk}/").status_code == 404
    doc = me.get(f"/duties/record/{zhang.pk}/record.docx", {"year": YEAR})
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
    assert "张三" in text and "2025年度" in text and "得分 100.00，等次：合格" in text
    tables = Document(io.BytesIO(doc.content)).tables
    assert any("关于建设侨乡文化街区的提案" in c.text for t in tables for row in t.rows for c in row.cells)
    assert me.get(f"/duties/record/{zhang.pk}/", {"year": "20x"}).status_code == 200  # bad year → this year


def test_staff_change_a_rule_in_the_page_and_the_ranking_changes(record_world: World) -> None:
    """Tongcheng; staff raise 全体会议请假（经批准） (item 2) from 30 to 40 with cap 40 on the rule page: 李四
    25 + 10 = 35 for meetings → 62 in the ranking. A cap below the points is refused with the reason."""
    rs = act.install_example(record_world.user("staff"), record_world.council, "tongcheng", activate=True)
    staff = client_for(record_world.user("staff"))
    r = staff.post(f"/duties/rules/{rs.pk}/", {"item": "1", "points": "40", "cap": "40", "version": rs.version})
    assert r.status_code == 302
    ranking = staff.get("/duties/scores/", {"year": YEAR}).content.decode()
    assert "62.00" in ranking
    # a cap below the points is refused, nothing changes
    rs.refresh_from_db()
    staff.post(f"/duties/rules/{rs.pk}/", {"item": "1", "points": "45", "cap": "40", "version": rs.version})
    page = staff.get(f"/duties/rules/{rs.pk}/").content.decode()
    assert "上限 40 分低于单项分值 45 分" in page
    assert record_world.user("member0") and client_for(record_world.user("member0")).post(
        f"/duties/rules/{rs.pk}/", {"item": "1", "points": "0"}).status_code == 404


def test_a_record_shows_the_kinds_of_its_council(record_world: World) -> None:
    """A CPPCC member's record has proposals and no deputies' suggestions; a deputy's the other way round."""
    from tests.cases.npc import build_npc

    zhang = record_world.members[0]
    page = client_for(record_world.user("member0")).get(f"/duties/record/{zhang.pk}/", {"year": YEAR}).content.decode()
    assert "<h2>提案（4）</h2>" in page and "代表建议" not in page
    npc = build_npc()
    deputy = client_for(npc.user("deputy0")).get(f"/duties/record/{npc.deputies[0].pk}/").content.decode()
    assert "<h2>代表建议（0）</h2>" in deputy and "<h2>提案" not in deputy
