"""Writers of workflow configuration that staff change from pages rather than the admin.

Each writes an audit entry. Data only: the engine and the proposal actions read what is configured here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction

from lvzhi.core import audit
from lvzhi.core.errors import DomainError
from lvzhi.workflow.defaults import GRADE_SCALES
from lvzhi.workflow.models import ReplyGrade

SCALE_LABELS: dict[str, str] = {"abcd": "A/B/C/D 四类", "abc": "A/B/C 三类"}


def current_scale(council: Any) -> str | None:
    """The key of :data:`~lvzhi.workflow.defaults.GRADE_SCALES` whose codes are exactly the council's active
    grades, or ``None`` for a custom scale (edited in the admin)."""
    active = list(ReplyGrade.objects.filter(council=council, active=True).order_by("order", "id")
                  .values_list("code", flat=True))
    for key, grades in GRADE_SCALES.items():
        if active == [code for code, _, _ in grades]:
            return key
    return None


def _grades_in_use(council: Any) -> set[int]:
    """Ids of ``council``'s grades that any reply of any case type carries (found through the models that
    point at :class:`ReplyGrade`, so this layer imports no case type)."""
    grade_ids = list(ReplyGrade.objects.filter(council=council).values_list("pk", flat=True))
    used: set[int] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is ReplyGrade:
                used.update(model._default_manager.filter(**{f"{field.attname}__in": grade_ids})
                            .values_list(field.attname, flat=True))
    return used


@transaction.atomic
def set_grade_scale(actor: Any, council: Any, scale: str) -> list[ReplyGrade]:
    """Switch ``council``'s reply grades (答复类别) to ``scale``: ``"abcd"`` (A/B/C/D, four grades [R10]) or
    ``"abc"`` (three grades [R11]).

    Grades of the new scale are created or re-activated, and take the scale's label, order and follow-up flag
    unless existing replies already use them (those keep their label, so that old replies keep their
    meaning). Grades outside the scale are deactivated, never deleted: replies that carry them stay intact,
    but new replies can no longer choose them (``draft_reply`` accepts active grades only).

    Returns the active grades in order. Writes one ``grade_scale_changed`` audit entry (none when the scale
    is already in force as configured). Raises :class:`DomainError` (field ``scale``) for an unknown scale.
    """
    if scale not in GRADE_SCALES:
        raise DomainError(f"答复分类「{scale}」无效，应为：{'、'.join(SCALE_LABELS.values())}。", field="scale")
    grades = {g.code: g for g in ReplyGrade.objects.select_for_update().filter(council=council)}
    in_use = _grades_in_use(council)
    before = sorted(code for code, g in grades.items() if g.active)
    wanted = GRADE_SCALES[scale]
    wanted_codes = {code for code, _, _ in wanted}
    touched = False
    for order, (code, label, follow_up) in enumerate(wanted):
        grade = grades.get(code)
        if grade is None:
            grades[code] = ReplyGrade.objects.create(council=council, code=code, label=label, order=order,
                                                     needs_follow_up=follow_up, active=True)
            touched = True
            continue
        values: dict[str, Any] = {"active": True, "order": order}
        if grade.pk not in in_use:
            values.update(label=label, needs_follow_up=follow_up)
        changed = [k for k, v in values.items() if getattr(grade, k) != v]
        for k in changed:
            setattr(grade, k, values[k])
        if changed:
            grade.save(update_fields=changed)
            touched = True
    for code, grade in grades.items():
        if code not in wanted_codes and grade.active:
            grade.active = False
            grade.save(update_fields=["active"])
            touched = True
    after = sorted(wanted_codes)
    result = list(ReplyGrade.objects.filter(council=council, active=True).order_by("order", "id"))
    if touched:
        audit.record(council, "grade_scale_changed", actor=actor, council_id=council.pk,
                     old={"grades": before}, new={"grades": after, "scale": scale})
    return result
