"""Reading a council's policy for a case type, its reply grades, and taking case numbers race-free.

Policies are installed by a case type's installer (``lvzhi setup`` / :func:`lvzhi.cases.registry.install_for`);
looking one up never installs anything: a missing policy is a configuration error the user is told about.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lvzhi.cases.models import CaseTypePolicy, NumberCounter
from lvzhi.core.calendar import add_period
from lvzhi.core.errors import DomainError
from lvzhi.core.gongwen import doc_number
from lvzhi.workflow.defaults import GRADE_SCALES
from lvzhi.workflow.models import ReplyGrade, Workflow

#: The 3-level satisfaction scale of the opinion forms (意见征询表) [N3][N5].
SATISFACTION_LEVELS = [{"code": "satisfied", "label": "满意"}, {"code": "basically", "label": "基本满意"},
                       {"code": "unsatisfied", "label": "不满意"}]


def policy_for(council_id: int, case_type: str) -> CaseTypePolicy:
    """The policy of ``case_type`` in council ``council_id``.

    Raises :class:`DomainError` (field ``case_type``) when the council has none (run ``lvzhi setup``).
    """
    policy = CaseTypePolicy.objects.filter(council_id=council_id, case_type=case_type).first()
    if policy is None:
        raise DomainError(f"该机构尚未配置「{case_type}」的办理规则，请先运行 lvzhi setup。", field="case_type")
    return policy


def workflow_for(council_id: int, case_type: str) -> Workflow:
    """The active workflow of ``case_type`` in council ``council_id``; :class:`DomainError` when none."""
    workflow = Workflow.objects.filter(council_id=council_id, case_type=case_type, active=True).first()
    if workflow is None:
        raise DomainError(f"该机构尚未配置「{case_type}」的办理流程，请先运行 lvzhi setup。", field="case_type")
    return workflow


@transaction.atomic
def install_policy(council: Any, case_type: str, **values: Any) -> CaseTypePolicy:
    """Create the policy of ``case_type`` in ``council`` with ``values`` unless one exists (kept as is)."""
    policy, _ = CaseTypePolicy.objects.get_or_create(council=council, case_type=case_type, defaults=values)
    return policy


@transaction.atomic
def install_grade_scale(council: Any, case_type: str, scale: str) -> None:
    """Create the reply grades ``scale`` (``abcd`` four grades, ``abc`` three) for ``case_type`` in
    ``council`` unless that type already has grades of its own."""
    if ReplyGrade.objects.filter(council=council, case_type=case_type).exists():
        return
    ReplyGrade.objects.bulk_create([
        ReplyGrade(council=council, case_type=case_type, code=c, label=label, order=i, needs_follow_up=f)
        for i, (c, label, f) in enumerate(GRADE_SCALES[scale])
    ])


def grades_for(council_id: int, case_type: str) -> list[ReplyGrade]:
    """The active reply grades of ``case_type``: its own scale when it has one, else the council's
    general one (grades with a blank case type)."""
    own = list(ReplyGrade.objects.filter(council_id=council_id, case_type=case_type, active=True)
               .order_by("order", "id"))
    if own:
        return own
    return list(ReplyGrade.objects.filter(council_id=council_id, case_type="", active=True).order_by("order", "id"))


def grade_by_code(council_id: int, case_type: str, code: str) -> ReplyGrade:
    """The active grade ``code`` of ``case_type``; :class:`DomainError` (field ``grade``) otherwise."""
    if not (code or "").strip():
        raise DomainError("请选择答复类别。", field="grade")
    for grade in grades_for(council_id, case_type):
        if grade.code == code.strip():
            return grade
    raise DomainError(f"答复类别「{code}」不在本机构的答复分类中。", field="grade")


def limit_from(start: date, amount: int, unit: str) -> date:
    """``start`` plus a policy limit (working days by the statutory calendar, calendar days or months)."""
    return add_period(start, amount, unit)


def _scope_key(scope: str, ctx: dict[str, Any]) -> str:
    if scope == "term":
        return f"term:{ctx['term_id']}"
    if scope == "session":
        return f"session:{ctx['session_id']}"
    return f"year:{ctx['year']}"


def next_serial(council_id: int, case_type: str, scope_key: str) -> int:
    """Take the next serial of (council, case type, scope): an atomic increment of the counter row (created
    at 0 when missing). Two concurrent callers always get different serials. Call inside the transaction
    that stores the number, so that a rolled-back act gives its serial back."""
    key = {"council_id": council_id, "case_type": case_type, "scope_key": scope_key}
    if not NumberCounter.objects.filter(**key).update(last_value=F("last_value") + 1):
        try:
            with transaction.atomic():
                NumberCounter.objects.create(**key, last_value=1)
                return 1
        except IntegrityError:
            NumberCounter.objects.filter(**key).update(last_value=F("last_value") + 1)
    return int(NumberCounter.objects.filter(**key).values_list("last_value", flat=True).get())


def take_number(case: Any, policy: CaseTypePolicy) -> str:
    """The next case number of ``case`` after the policy's pattern and scope, e.g. ``{session}-{seq:03d}``.

    The pattern may use ``term``, ``session``, ``year`` and ``seq``. Raises :class:`DomainError` (field
    ``number_pattern``) for a pattern that cannot be filled.
    """
    ctx = dict(case.number_context())
    ctx.setdefault("year", timezone.localdate().year)
    serial = next_serial(case.council_id, policy.case_type, _scope_key(policy.number_scope, ctx))
    try:
        return policy.number_pattern.format(term=ctx.get("term", ""), session=ctx.get("session", ""),
                                            year=ctx["year"], seq=serial)
    except (KeyError, IndexError, ValueError) as exc:
        raise DomainError(f"编号格式「{policy.number_pattern}」无效，请管理员修改（可用字段：term、session、year、seq）。",
                          field="number_pattern") from exc


REPLY_LETTER_NUMBERS = "reply_letter"  # the NumberCounter case type of reply letters' document numbers


def take_doc_number(unit: Any, year: int) -> str:
    """The next document number (发文字号) of ``unit``'s reply letters in ``year``, ``江府建〔2026〕12号``
    (GB/T 9704 §7.2.4; serials per unit and year from 1, race-free, one series for every case type the unit
    answers), or ``""`` when the unit has no 机关代字. Call inside the transaction that stores it, so that a
    rolled-back sign-off gives it back."""
    if not unit.doc_prefix:
        return ""
    serial = next_serial(unit.council_id, REPLY_LETTER_NUMBERS, f"unit:{unit.pk}:{year}")
    return doc_number(unit.doc_prefix, year, serial)
