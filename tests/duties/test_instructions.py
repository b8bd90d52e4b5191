"""Leaders' instructions (批示) on a consultation outcome, tracked to delivery by the units named: recorded
by staff or leaders only on a topic with an outcome, each unit reports on its own task, reminders before and
after the deadline (statutory calendar), and the pages of staff and units."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.core.reminders import due
from lvzhi.duties import actions as act
from lvzhi.duties.models import InstructionTask
from tests.conftest import World
from tests.duties.conftest import YEAR

pytestmark = pytest.mark.django_db


def _topic(world: World, *, outcome: bool = True) -> Any:
    staff = world.user("staff")
    plan = act.create_plan(staff, world.council, year=YEAR, title="协商计划")
    topic = act.add_topic(staff, plan.pk, title="推进制造业当家", form="special", month=9)
    if outcome:
        act.record_outcome(staff, topic.pk, outcome="建议设立产业基金。", sent_on=date(YEAR, 9, 20))
    return topic


def _instruct(world: World, topic: Any, who: str = "leader", **kw: Any) -> Any:
    args: dict[str, Any] = {"leader_name": "市委书记", "level": "city", "day": date(YEAR, 9, 25),
                            "text": "请市发改局、市交通局研究落实。", "units": world.units[:2],
                            "deadline": date(YEAR, 10, 10)}
    args.update(kw)
    return act.instruct_outcome(world.user(who), topic.pk, **args)


def test_recording_rules(world: World) -> None:
    with pytest.raises(DomainError) as exc:
        _instruct(world, _topic(world, outcome=False))
    assert exc.value.field == "topic" and "尚无协商成果" in exc.value.message
    topic = world.council.consultation_plans.get().topics.get()
    act.record_outcome(world.user("staff"), topic.pk, outcome="成果", sent_on=None)
    with pytest.raises(ForbiddenError):
        _instruct(world, topic, who="member0")
    for kw, field in (({"level": "village"}, "level"), ({"units": []}, "units"),
                      ({"deadline": date(YEAR, 9, 1)}, "deadline")):
        with pytest.raises(DomainError) as exc:
            _instruct(world, topic, **kw)
        assert exc.value.field == field
    ins = _instruct(world, topic)
    assert sorted(ins.tasks.values_list("unit__name", "status")) == [("市交通运输局", "pending"),
                                                                    ("市发展和改革局", "pending")]


def test_units_report_and_reminders_follow_the_deadline(world: World) -> None:
    ins = _instruct(world, _topic(world))
    t0 = ins.tasks.get(unit=world.units[0])
    # another unit cannot touch unit 0's task; a unit-less member neither
    for who in ("clerk1", "member0"):
        with pytest.raises(NotFoundError):
            act.report_delivery(world.user(who), t0.pk, status="done", note="x")

    def reminded(day: date) -> dict[str, str]:
        return {r.key: r.text for r in due(day) if r.key.startswith("remind:duty-instruction:")}

    # 1 September: the deadline (10 October) is weeks away — nothing due
    assert reminded(date(YEAR, 9, 1)) == {}
    # 9 October (the day after the National Day holidays): within 5 working days — both units reminded
    soon = reminded(date(YEAR, 10, 9))
    assert len(soon) == 2 and all("即将到期" in t for t in soon.values())
    act.report_delivery(world.user("clerk0"), t0.pk, status="done", note="已设立产业基金。")
    with pytest.raises(DomainError):
        act.report_delivery(world.user("head0"), t0.pk, status="implementing", note="再报")
    # 13 October: unit 1 is overdue, unit 0 is done and no longer reminded
    late = reminded(date(YEAR, 10, 13))
    t1 = InstructionTask.objects.get(instruction=ins, unit=world.units[1])
    assert list(late) == [f"remind:duty-instruction:{t1.pk}"] and "已逾期" in late[f"remind:duty-instruction:{t1.pk}"]
    # the recipients are unit 1's accounts
    assert set(next(r for r in due(date(YEAR, 10, 13)) if r.key.endswith(f":{t1.pk}")).user_ids) == {
        world.user("clerk1").pk, world.user("head1").pk}


def test_pages(world: World) -> None:
    topic = _topic(world)
    plan = topic.plan
    leader = Client()
    leader.force_login(world.user("leader"))
    r = leader.post(f"/duties/plans/{plan.pk}/topics/{topic.pk}/instruct/", {
        "leader_name": "市长", "level": "city", "date": f"{YEAR}-09-25", "text": "请研究落实。",
        "units": [world.units[0].pk], "deadline": f"{YEAR}-10-31"})
    assert r.status_code == 302
    clerk = Client()
    clerk.force_login(world.user("clerk0"))
    page = clerk.get("/duties/instructions/").content.decode()
    assert "请研究落实。" in page and "待落实" in page
    task = InstructionTask.objects.get()
    clerk.post("/duties/instructions/", {"task": task.pk, "status": "done", "note": "已完成。"})
    task.refresh_from_db()
    assert task.status == "done" and task.done_at is not None
    other = Client()
    other.force_login(world.user("clerk1"))
    assert "请研究落实。" not in other.get("/duties/instructions/").content.decode()
    assert other.post("/duties/instructions/", {"task": task.pk, "status": "done", "note": "x"}).status_code == 404
    staff = Client()
    staff.force_login(world.user("staff"))
    assert "已落实" in staff.get("/duties/instructions/").content.decode()
    member = Client()
    member.force_login(world.user("member0"))
    assert member.get("/duties/instructions/").status_code == 404


def test_figures_count_instructions(world: World) -> None:
    from lvzhi.duties.queries import duty_figures
    from lvzhi.duties.scoring import score_council, year_bounds

    ins = _instruct(world, _topic(world))
    act.report_delivery(world.user("clerk0"), ins.tasks.get(unit=world.units[0]).pk, status="done", note="完成")
    act.install_example(world.user("staff"), world.council, "tongcheng", activate=True)
    fig = duty_figures(score_council(world.council, *year_bounds(YEAR)))
    assert (fig.outcome_instructions, fig.instruction_tasks, fig.instruction_tasks_done) == (1, 2, 1)
    assert ("协商成果获批示", "1 件，落实 1 / 2 项") in fig.rows()
