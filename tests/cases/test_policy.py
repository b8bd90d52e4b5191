"""The case-type registry, the policy as data, reply-grade scales per case type, and race-free numbers."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction

from lvzhi.cases import registry
from lvzhi.cases.models import CaseTypePolicy, NumberCounter
from lvzhi.cases.policy import (
    grade_by_code,
    grades_for,
    install_grade_scale,
    limit_from,
    next_serial,
    policy_for,
    take_number,
)
from lvzhi.core.errors import DomainError
from lvzhi.members import actions as org
from lvzhi.members.models import Council
from lvzhi.workflow.models import ReplyGrade, Workflow
from tests.cases.npc import NPC


def test_registry_knows_suggestions_for_people_congresses_only(npc: NPC) -> None:
    suggestion = registry.get("suggestion")
    assert suggestion.label == "代表建议" and suggestion.model._meta.label == "suggestions.Suggestion"
    assert {t.key for t in registry.for_council(npc.council)} == {"suggestion", "livelihood_project", "micro_project"}
    cppcc = org.create_council(None, name="测试市政协")
    assert "suggestion" not in [t.key for t in registry.for_council(cppcc)]
    assert registry.for_model(suggestion.model) is suggestion
    with pytest.raises(DomainError) as err:
        registry.get("no_such_case_type")
    assert err.value.field == "case_type" and "未注册" in err.value.message


def test_default_policy_of_suggestions(npc: NPC) -> None:
    pol = policy_for(npc.council.pk, "suggestion")
    # WORKFLOWS.md §2: send back within 7 working days, reply in 3 months at most 6, re-handle in 1 month
    assert (pol.sendback_limit, pol.sendback_limit_unit) == (7, "working_days")
    assert (pol.reply_limit, pol.reply_limit_unit, pol.reply_max, pol.reply_max_unit) == (3, "months", 6, "months")
    assert (pol.rehandle_limit, pol.rehandle_limit_unit) == (1, "months")
    assert pol.joint_reply_mode == "each"
    assert {"motion", "litigation", "vague"} <= {g["code"] for g in pol.return_grounds}
    assert [d["label"] for d in pol.dimensions] == ["联系沟通", "办理态度", "办理结果"]
    assert [lv["label"] for lv in pol.levels] == ["满意", "基本满意", "不满意"]
    assert [g.code for g in grades_for(npc.council.pk, "suggestion")] == ["A", "B", "C", "D"]
    assert [g.code for g in grades_for(npc.council.pk, "suggestion") if g.needs_follow_up] == ["B", "C"]


def test_installing_twice_keeps_one_of_each_and_a_lookup_installs_nothing(npc: NPC) -> None:
    registry.install_for(npc.council)
    assert Workflow.objects.filter(council=npc.council, case_type="suggestion").count() == 1
    assert CaseTypePolicy.objects.filter(council=npc.council, case_type="suggestion").count() == 1
    assert ReplyGrade.objects.filter(council=npc.council, case_type="suggestion").count() == 4
    # a council from before the case type existed (created councils get every type's defaults at once)
    other = Council.objects.create(name="另一市人大常委会", kind="npc")
    with pytest.raises(DomainError) as err:
        policy_for(other.pk, "suggestion")
    assert err.value.field == "case_type" and "lvzhi setup" in err.value.message
    assert not CaseTypePolicy.objects.filter(council=other).exists()


def test_three_grade_scale_per_case_type_and_fallback_to_the_council_scale(npc: NPC) -> None:
    install_grade_scale(npc.council, "liaison_visit", "abc")
    assert [g.code for g in grades_for(npc.council.pk, "liaison_visit")] == ["A", "B", "C"]
    # a type without its own scale uses the council's general one (created with the council: A–D)
    assert [g.code for g in grades_for(npc.council.pk, "message")] == ["A", "B", "C", "D"]
    with pytest.raises(DomainError) as err:
        grade_by_code(npc.council.pk, "liaison_visit", "D")
    assert err.value.field == "grade"


def test_numbers_follow_pattern_and_scope(npc: NPC) -> None:
    class FakeCase:
        council_id = npc.council.pk

        def number_context(self) -> dict[str, Any]:
            return {"term": 16, "session": 3, "term_id": 1, "session_id": npc.session.pk, "year": 2026}

    pol = policy_for(npc.council.pk, "suggestion")
    assert [take_number(FakeCase(), pol) for _ in range(2)] == ["16-3-001", "16-3-002"]
    pol.number_pattern, pol.number_scope = "{year}年第{seq}号", "year"
    assert take_number(FakeCase(), pol) == "2026年第1号"
    pol.number_pattern = "{term}-{nonsense}"
    with pytest.raises(DomainError) as err:
        take_number(FakeCase(), pol)
    assert err.value.field == "number_pattern"


def test_working_day_limits_across_national_day_2024() -> None:
    # 2024-09-29 (Sunday) and 2024-10-12 (Saturday) are make-up working days; 10-01..10-07 are holidays.
    # From Friday 09-27: 09-29, 09-30, 10-08, 10-09, 10-10, 10-11, 10-12 → the 7th working day is 10-12.
    assert limit_from(date(2024, 9, 27), 7, "working_days") == date(2024, 10, 12)
    assert limit_from(date(2024, 9, 30), 1, "working_days") == date(2024, 10, 8)
    assert limit_from(date(2024, 8, 31), 6, "months") == date(2025, 2, 28)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_takers_get_distinct_serials(npc: NPC) -> None:
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def take(i: int) -> None:
        barrier.wait(timeout=10)  # released together (SQLite's IMMEDIATE transactions then queue, PostgreSQL races)
        try:
            with transaction.atomic():
                results[i] = next_serial(npc.council.pk, "suggestion", "session:race")
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(isinstance(r, int) for r in results), results
    assert sorted(results) == [1, 2]
    assert NumberCounter.objects.get(scope_key="session:race").last_value == 2
