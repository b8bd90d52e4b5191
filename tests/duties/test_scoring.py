"""Scores computed from a year of records by the three example rule sets of WORKFLOWS §7, the expected
figures worked out by hand from the rule texts (the scenario is in tests/duties/conftest.build_record)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvzhi.core.errors import DomainError
from lvzhi.duties import actions as act
from lvzhi.duties.rules import spec_from_dict, spec_of, spec_to_dict, validate
from lvzhi.duties.scoring import score_council, year_bounds
from tests.conftest import World
from tests.duties.conftest import YEAR

pytestmark = pytest.mark.django_db


def scores(world: World) -> dict[str, tuple[Decimal, str, int]]:
    result = score_council(world.council, *year_bounds(YEAR))
    return {s.name: (s.score, s.grade, s.rank) for s in result.members}


def by_name(world: World, name: str):  # type: ignore[no-untyped-def]
    return next(s for s in score_council(world.council, *year_bounds(YEAR)).members if s.name == name)


def test_tongcheng_100_points(record_world: World) -> None:
    """Tongcheng [K1]. 张三: meetings 50 (plenary attended; standing attended earns nothing) · proposals:
    P1 joint with 1 co-signer → first proposer half: 10/2 + 15/2 = 12.5; P2 10 + 15 = 25; P3 10; P4 as
    co-signer of 2 → the other half shared: 10/2/2 + 15/2/2 = 6.25; 53.75 capped to 25 · activities: 6 × 2
    + written speech 5 = 17, capped to 10 · reports: R1 10 + 5 = 15 → 50 + 25 + 10 + 15 = 100, 合格.
    李四: meetings 30 (plenary on leave) − 5 (standing absent) = 25 · proposals P1 co-signer of 1: 5 + 7.5;
    P4 first of a joint: 5 + 7.5 → 25 · activities 2 · reports 0 → 52, 不合格.
    王五: meetings: plenary absent 0, standing on leave −2 → the group stops at 0 · proposals P4 co-signer
    6.25 · reports R2 10, R3 10 + 5 → 25 capped to 15 → 21.25, 不合格."""
    act.install_example(record_world.user("staff"), record_world.council, "tongcheng", activate=True)
    assert scores(record_world) == {"张三": (Decimal("100.00"), "合格", 1), "李四": (Decimal("52.00"), "不合格", 2),
                                    "王五": (Decimal("21.25"), "不合格", 3)}
    zhang = by_name(record_world, "张三")
    groups = {g.name: (g.subtotal, g.total) for g in zhang.groups}
    assert groups == {"参加政协会议": (50, 50), "提交提案": (Decimal("53.75"), 25), "参加政协活动": (17, 10),
                      "反映社情民意": (15, 15)}
    # each point is explained by an act: P1's filed bonus for the first proposer of a joint proposal
    lines = [ln for g in zhang.groups for it in g.items for ln in it.lines if it.label == "提案被立案"]
    assert [(ln.act.title, ln.points, ln.note) for ln in lines] == [
        ("关于建设侨乡文化街区的提案", Decimal("7.5"), "联名提案：第一提案人折半"),
        ("关于完善公交线网的提案", Decimal(15), ""),
        ("关于加强职业教育的提案", Decimal("3.75"), "联名提案：其余 2 位联名人均摊一半")]


def test_jinan_120_points_and_three_ones(record_world: World) -> None:
    """Jinan [K3], base 70. 张三: filed proposals as first proposer P1, P2 → the first is not rewarded, P2
    +5; P1 key +5, excellent +10; one welfare activity +2 → 70 + 22 = 92, 优秀 (≥ 85); 三个一 met (plenary,
    proposals, research and inspection). 李四: plenary on leave −10 → 60, 称职; only one filed proposal as
    first proposer (P4) → no reward; 三个一 not met (no plenary attended). 王五: plenary absent without
    leave −30 → 40, 不称职; 三个一: a proposal (co-signed P4) yes, plenary and inspection/research no."""
    act.install_example(record_world.user("staff"), record_world.council, "jinan", activate=True)
    assert scores(record_world) == {"张三": (Decimal("92.00"), "优秀", 1), "李四": (Decimal("60.00"), "称职", 2),
                                    "王五": (Decimal("40.00"), "不称职", 3)}
    duties = {s.name: [d.met for d in s.duties] for s in score_council(record_world.council,
                                                                         *year_bounds(YEAR)).members}
    assert duties == {"张三": [True, True, True], "李四": [False, True, True], "王五": [False, True, False]}


def test_jiangmen_five_ones(record_world: World) -> None:
    """Jiangmen "五个一", 20 points each once. 张三: all five → 100, 优秀. 李四: duty topic (research) and a
    filed proposal (P1 co-signed, P4) → 40, 不称职. 王五: filed proposal (P4 co-signed) and a report → 40."""
    act.install_example(record_world.user("staff"), record_world.council, "jiangmen", activate=True)
    assert scores(record_world) == {"张三": (Decimal("100.00"), "优秀", 1), "李四": (Decimal("40.00"), "不称职", 2),
                                    "王五": (Decimal("40.00"), "不称职", 2)}
    zhang = by_name(record_world, "张三")
    assert zhang.minimum_met
    topic = next(it for g in zhang.groups for it in g.items if it.label.startswith("参加履职课题"))
    # research (20) then inspection held at the cap: 0
    assert [(ln.points, ln.note) for ln in topic.lines] == [(Decimal(20), ""), (Decimal(0), "已达上限 20 分")]
    li = by_name(record_world, "李四")
    assert [d.met for d in li.duties] == [False, True, True, False, False]


def test_a_rule_change_rescores_from_the_records(record_world: World) -> None:
    """Tongcheng with excused plenary absence raised from 30 to 40: 李四 25 + 10 = 35 for meetings → 62, 合格."""
    staff = record_world.user("staff")
    rs = act.install_example(staff, record_world.council, "tongcheng", activate=True)
    data = spec_to_dict(spec_of(rs))
    item = next(i for i in data["items"] if i["label"] == "全体会议请假（经批准）")
    item["points"], item["cap"] = "40", "40"
    act.save_rule_set(staff, record_world.council, spec_from_dict(data), rule_set_pk=rs.pk,
                      expected_version=rs.version)
    assert scores(record_world)["李四"] == (Decimal("62.00"), "合格", 2)


def test_co_share_and_per_half_day_items(record_world: World) -> None:
    """A council's own rules: a proposal 10 points, a co-signer 0.3 of it; a plenary absence without leave
    −4 per half-day (the plenary counts as one). 张三: P1, P2, P3 first = 30, P4 co-signer 3 → 33.
    李四: P1 co-signer 3 + P4 first 10 = 13. 王五: P4 co-signer 3, plenary absent −4 → −1 → held at 0."""
    spec = spec_from_dict({
        "name": "自定义", "items": [
            {"label": "提案", "act_kind": "proposal", "points": "10", "split": "co_share", "co_share": "0.3"},
            {"label": "无故缺席全会（每半天）", "act_kind": "meeting", "points": "-4", "per": "unexcused_half_days",
             "conditions": {"meeting_kind": "plenary"}}],
        "grades": [{"name": "合格", "min_score": "10"}, {"name": "不合格", "max_score": "10"}]})
    assert validate(spec) == []
    result = {s.name: (s.score, s.grade) for s in score_council(record_world.council, *year_bounds(YEAR),
                                                                  spec=spec).members}
    assert result == {"张三": (Decimal("33.00"), "合格"), "李四": (Decimal("13.00"), "合格"),
                      "王五": (Decimal("0.00"), "不合格")}


def test_bad_rule_sets_are_refused_with_chinese_errors_and_nothing_written(world: World) -> None:
    from lvzhi.duties.models import RuleSet

    bad = spec_from_dict({
        "name": "有误的规则",
        "groups": [{"name": "提案", "cap": "9"}],
        "items": [{"label": "立案提案", "act_kind": "proposal", "points": "10", "cap": "5", "group": "提案"},
                  {"label": "接待群众", "act_kind": "voter_visit", "points": "2"}],
        "grades": [{"name": "优秀", "min_score": "85"}, {"name": "良好", "min_score": "80", "max_score": "90"},
                   {"name": "其他", "max_score": "80"}]})
    problems = validate(bad)
    assert "第 1 项「立案提案」：上限 5 分低于单项分值 10 分。" in problems
    assert "第 1 项「立案提案」：类别「提案」的上限 9 分低于该项分值 10 分。" in problems
    assert any("未知的履职事项「voter_visit」" in p for p in problems)
    assert any("「良好」" in p and "「优秀」" in p and "重叠" in p for p in problems)
    with pytest.raises(DomainError) as exc:
        act.save_rule_set(world.user("staff"), world.council, bad)
    assert exc.value.message.startswith("考评规则有误：")
    assert not RuleSet.objects.exists()
    gap = spec_from_dict({"name": "有空档", "items": [], "grades": [
        {"name": "合格", "min_score": "60"}, {"name": "不合格", "max_score": "59"}]})
    assert validate(gap) == ["等次「不合格」与「合格」之间有空档：59 至 60 分不属于任何等次。"]


def test_year_figures(record_world: World) -> None:
    """2025 of the scenario: 8 meetings, each inviting all three (24 invitations); 张三 attended 8; 李四 1
    (research; plenary on leave, standing and 5 others absent: 6); 王五 0 (standing on leave; plenary with
    leave refused and 6 others absent: 7) → present 8 + 1 = 9, excused 2, unexcused 6 + 7 = 13.
    Jinan grades: 优秀 1 (张三), 称职 1, 不称职 1; 三个一 met by 1 of 3."""
    from lvzhi.duties.queries import duty_figures

    act.install_example(record_world.user("staff"), record_world.council, "jinan", activate=True)
    fig = duty_figures(score_council(record_world.council, *year_bounds(YEAR)))
    assert sum(fig.meetings.values()) == 8 and fig.meetings["全体会议"] == 1
    assert (fig.present, fig.excused, fig.unexcused) == (9, 2, 13)
    assert fig.attendance_rate == 9 / 24
    assert fig.speeches == {"书面发言": 1}
    assert [(g, n) for g, n, _share in fig.grades] == [("优秀", 1), ("称职", 1), ("不称职", 1)]
    assert fig.minimum_met == 1
    # proposals as first proposer: 张三 P1, P2, P3 and 李四 P4 = 4, filed P1, P2, P4 = 3, by 2 members;
    # reports R1, R2, R3 = 3, adopted R1 and R3 = 2
    assert (fig.proposals, fig.proposals_filed, fig.members_proposing) == (4, 3, 2)
    assert (fig.reports, fig.reports_adopted, fig.instructed, fig.topic_places) == (3, 2, 0, 0)
    assert fig.excellent_rate("优秀") == 1 / 3
    assert ("社情民意信息", "3 篇，采用 2 篇，获批示 0 篇") in fig.rows()
