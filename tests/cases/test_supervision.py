"""Key-case groups (重点督办) with a leading leader and progress notes, leaders' instructions (批示 → 落实),
follow-up reviews (回头看), yearly selections, and an audit entry for every non-transition act."""

from __future__ import annotations

import pytest

from lvzhi.cases import actions as cases
from lvzhi.cases.queries import inbox_items
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.models import AuditEntry
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import accepted, answer, assigned
from tests.cases.npc import NPC


def _events(s: Suggestion) -> list[str]:
    return list(AuditEntry.objects.filter(target_type__model="suggestion", target_id=s.pk)
                .order_by("id").values_list("event", flat=True))


def test_key_group_led_by_a_leader_with_progress_notes(npc: NPC) -> None:
    a, b = accepted(npc, title="建议一"), accepted(npc, title="建议二")
    leader, staff = npc.user("leader"), npc.user("staff")
    with pytest.raises(DomainError) as err:
        cases.create_key_group(staff, npc.council, "suggestion", year=2026, theme=" ")
    assert err.value.field == "theme"
    with pytest.raises(DomainError) as err:
        cases.create_key_group(staff, npc.council, "suggestion", year=2026, theme="交通", leading_leader=staff)
    assert err.value.field == "leading_leader"
    with pytest.raises(ForbiddenError):
        cases.create_key_group(leader, npc.council, "suggestion", year=2026, theme="交通")
    group = cases.create_key_group(staff, npc.council, "suggestion", year=2026, theme="城市交通治理",
                                   special_committee=npc.committee, leading_leader=leader, plan="每季度督办一次")
    cases.add_to_key_group(staff, group.pk, [a.pk, b.pk])
    assert set(Suggestion.objects.filter(is_key=True).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert [i.what for i in inbox_items(leader)] == ["督办", "督办"]
    with pytest.raises(ForbiddenError):  # a deputy sees the key case but may not unmark it
        cases.set_key(npc.user("deputy0"), Suggestion, a.pk, is_key=False)
    cases.add_key_group_note(leader, group.pk, text="已赴现场督办，要求年底前完成。")
    assert inbox_items(leader) == []  # the 督办 note clears the items until the cases change


def test_instruction_tracked_to_implementation(npc: NPC) -> None:
    s, _ = assigned(npc, [(0, "sole")])
    with pytest.raises(ForbiddenError):
        cases.instruct(npc.user("staff"), Suggestion, s.pk, text="请抓紧办理")
    ins = cases.instruct(npc.user("leader"), Suggestion, s.pk, text="请市住建局抓紧办理，年底前答复。")
    assert [i.what for i in inbox_items(npc.user("leader"))] == ["批示落实"]
    with pytest.raises(DomainError) as err:
        cases.add_instruction_note(npc.user("clerk0"), ins.pk, text="已部署", status="maybe")
    assert err.value.field == "status"
    cases.add_instruction_note(npc.user("clerk0"), ins.pk, text="已召开专题会部署。", status="implementing")
    cases.add_instruction_note(npc.user("staff"), ins.pk, text="已全部落实。", status="done")
    ins.refresh_from_db()
    assert ins.status == "done" and ins.done_at is not None and ins.notes.count() == 2
    assert inbox_items(npc.user("leader")) == []


def test_follow_up_of_a_b_reply_and_selections(npc: NPC) -> None:
    s, (a,) = assigned(npc, [(0, "sole")])
    with pytest.raises(DomainError) as err:
        cases.add_follow_up(npc.user("staff"), Suggestion, s.pk, note="跟踪")
    assert err.value.field == "reply"
    answer(npc, a, "B")
    fu = cases.add_follow_up(npc.user("staff"), Suggestion, s.pk, note="工程已开工。")
    assert fu.reply is not None and not fu.delivered
    with pytest.raises(ForbiddenError):
        cases.add_follow_up(npc.user("deputy0"), Suggestion, s.pk, note="x")
    with pytest.raises(DomainError) as err:
        cases.select_excellent(npc.user("staff"), Suggestion, s.pk, kind="best", year=2026)
    assert err.value.field == "kind"
    cases.select_excellent(npc.user("staff"), Suggestion, s.pk, kind="golden_idea", year=2026)
    cases.select_excellent(npc.user("staff"), Suggestion, s.pk, kind="excellent", year=2026)
    cases.select_excellent_handling(npc.user("staff"), a.pk, year=2026)
    s.refresh_from_db()
    a.refresh_from_db()
    assert (s.golden_idea_year, s.excellent_year, a.excellent_year) == (2026, 2026, 2026)
    events = _events(s)
    for event in ("follow_up", "selected", "excellent_handling", "contact_recorded", "reply_drafted",
                  "reply_signed", "assigned_units"):
        assert event in events, event
