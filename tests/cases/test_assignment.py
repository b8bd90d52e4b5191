"""Assignment (single / lead + co-handling / separate, singly or in batch) and send-back with its limit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment
from lvzhi.core.calendar import add_months
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.core.models import AuditEntry, Notification
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import accepted, assigned, today
from tests.cases.npc import NPC


def test_lead_and_co_handling_assignment_with_deadlines_from_the_policy(
        npc: NPC, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        s, made = assigned(npc, [(0, "lead"), (1, "co")])
    lead, co = made
    assert s.state.units_may_reply and not s.state.assignable
    # reply in 3 months, at most 6; co-handling opinion in 1 month (Shanghai rules arts. 17, 19)
    assert lead.deadline == add_months(today(), 3) and lead.latest_deadline == add_months(today(), 6)
    assert co.deadline == add_months(today(), 1)
    assert s.state_deadline == add_months(today(), 3)
    assert s.roles_of(npc.user("clerk0")) == {"unit_clerk"} and s.roles_of(npc.user("head1")) == {"unit_leader"}
    assert s.roles_of(npc.user("clerk2")) == set()
    assert Notification.objects.filter(recipient=npc.user("clerk1"), kind="assigned").count() == 1


@pytest.mark.parametrize("plan,field_text", [
    ([], "请选择承办单位"),
    ([(0, "sole"), (1, "sole")], "单办只能"),
    ([(0, "lead"), (1, "lead")], "主办单位只能有一个"),
    ([(0, "co")], "须确定一个主办单位"),
    ([(0, "separate"), (1, "lead")], "分办不能"),
    ([(0, "boss")], "办理方式"),
    ([(0, "sole"), (0, "sole")], "重复"),
])
def test_invalid_plans_are_refused_naming_units(npc: NPC, plan: list[tuple[int, str]], field_text: str) -> None:
    s = accepted(npc)
    with pytest.raises(DomainError) as err:
        cases.assign(npc.user("staff"), Suggestion, s.pk, [(npc.units[i], r) for i, r in plan])
    assert err.value.field == "units" and field_text in err.value.message
    s.refresh_from_db()
    assert s.state.assignable and not Assignment.objects.exists()


def test_batch_assignment_is_all_or_none(npc: NPC) -> None:
    a, b = accepted(npc, title="建议一"), accepted(npc, title="建议二")
    c = accepted(npc, title="建议三")
    cases.assign(npc.user("staff"), Suggestion, c.pk, [(npc.units[2], "sole")])
    with pytest.raises(DomainError) as err:
        cases.assign_batch(npc.user("staff"), Suggestion, [a.pk, b.pk, c.pk], [(npc.units[0], "sole")])
    assert err.value.message.startswith("《建议三》")
    assert Assignment.objects.count() == 1
    assert cases.assign_batch(npc.user("staff"), Suggestion, [a.pk, b.pk], [(npc.units[0], "sole")]) == 2
    assert {x.state.units_may_reply for x in Suggestion.objects.filter(pk__in=[a.pk, b.pk])} == {True}


def test_only_staff_assign(npc: NPC) -> None:
    s = accepted(npc)
    with pytest.raises(ForbiddenError):
        cases.assign(npc.user("deputy0"), Suggestion, s.pk, [(npc.units[0], "sole")])
    with pytest.raises(NotFoundError):
        cases.assign(npc.user("clerk0"), Suggestion, s.pk, [(npc.units[0], "sole")])


def test_send_back_within_the_limit_then_reassign(npc: NPC) -> None:
    s, (a,) = assigned(npc, [(0, "sole")])
    with pytest.raises(DomainError) as err:
        cases.send_back(npc.user("clerk0"), a.pk, reason=" ")
    assert err.value.field == "reason"
    with pytest.raises(NotFoundError):  # another unit does not see the case
        cases.send_back(npc.user("clerk1"), a.pk, reason="不属于本单位职责")
    with pytest.raises(ForbiddenError) as forbidden:  # a deputy sees it (public) but acts for no unit
        cases.send_back(npc.user("deputy3"), a.pk, reason="不属于本单位职责")
    assert "市住房和城乡建设局" in forbidden.value.message
    cases.send_back(npc.user("clerk0"), a.pk, reason="不属于本单位职责，建议交市交通运输局")
    a.refresh_from_db()
    assert a.status == "sent_back"
    assert AuditEntry.objects.filter(event="sent_back", target_id=s.pk).count() == 1
    with pytest.raises(DomainError):  # twice
        cases.send_back(npc.user("clerk0"), a.pk, reason="再次退回")
    (b,) = cases.assign(npc.user("staff"), Suggestion, s.pk, [(npc.units[1], "sole")])
    assert b.round == 1 and AuditEntry.objects.filter(event="reassigned", target_id=s.pk).exists()
    with pytest.raises(DomainError) as err:  # the unit already handles it
        cases.assign(npc.user("staff"), Suggestion, s.pk, [(npc.units[1], "co")])
    assert err.value.field == "units"


def test_send_back_after_seven_working_days_is_refused(npc: NPC, monkeypatch: Any) -> None:
    # assigned on Friday 2024-09-27: the 7th working day is the make-up Saturday 2024-10-12 (National Day)
    monkeypatch.setattr(cases, "_today", lambda: date(2024, 9, 27))
    s, (a,) = assigned(npc, [(0, "sole")])
    assert a.sendback_deadline == date(2024, 10, 12)
    monkeypatch.setattr(cases, "_today", lambda: date(2024, 10, 13))
    version = Suggestion.objects.get(pk=s.pk).version
    with pytest.raises(DomainError) as err:
        cases.send_back(npc.user("clerk0"), a.pk, reason="不属于本单位职责")
    assert err.value.field == "reason" and "2024-10-12" in err.value.message and "期限已过" in err.value.message
    a.refresh_from_db()
    assert a.status == "handling" and Suggestion.objects.get(pk=s.pk).version == version
    monkeypatch.setattr(cases, "_today", lambda: date(2024, 10, 12))  # the last day still counts
    assert cases.send_back(npc.user("clerk0"), a.pk, reason="不属于本单位职责").status == "sent_back"


def test_extension_up_to_the_maximum(npc: NPC) -> None:
    _, (a,) = assigned(npc, [(0, "sole")])
    with pytest.raises(DomainError) as err:
        cases.extend_deadline(npc.user("staff"), a.pk, until=a.latest_deadline + timedelta(days=1), reason="难度大")
    assert err.value.field == "until"
    with pytest.raises(ForbiddenError):
        cases.extend_deadline(npc.user("clerk0"), a.pk, until=a.latest_deadline, reason="难度大")
    assert cases.extend_deadline(npc.user("staff"), a.pk, until=a.latest_deadline, reason="难度大").deadline == \
        a.latest_deadline
