"""Writers of the smart app: staff linking related cases (关联案件). The suggestions themselves never write
to a case; merging proposals (并案) is :func:`lvzhi.proposals.actions.merge_proposals`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from lvzhi.core import audit
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.members.access import is_council_staff
from lvzhi.smart.models import CaseLink, CaseType

NOTE_MAX = 200


def _case(kind: str, pk: Any) -> Any:
    from lvzhi.smart.service import _models

    if kind not in CaseType.values:
        raise DomainError("关联案件类型无效。", field="to_type")
    model = _models()[kind]
    try:
        return model._default_manager.select_related("council").get(pk=int(pk))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFoundError("未找到要关联的案件。") from None


@transaction.atomic
def link_cases(actor: Any, case: Any, to_type: str, to_id: Any, *, score: float | None = None,
               note: str = "") -> CaseLink:
    """Link ``case`` (a message, report or proposal) to another case of the same council, e.g. a similar case
    shown by the smart panel. Idempotent: linking twice returns the existing link and writes nothing. Writes an
    audit entry ``case_linked`` on both cases.

    Raises:
        ForbiddenError: ``actor`` is not staff of the council.
        NotFoundError: the other case does not exist.
        DomainError: another council's case, the case itself, or a note over 200 characters.
    """
    from lvzhi.smart.service import case_type_of

    from_type = case_type_of(case)
    if not is_council_staff(actor, case.council_id):
        raise ForbiddenError("只有本机构工作人员可以关联案件。")
    other = _case(to_type, to_id)
    if other.council_id != case.council_id:
        raise DomainError("只能关联本机构的案件。", field="to_id")
    if from_type == to_type and other.pk == case.pk:
        raise DomainError("不能关联案件本身。", field="to_id")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(f"「说明」不能超过 {NOTE_MAX} 个字。", field="note")
    existing = CaseLink.objects.filter(from_type=from_type, from_id=case.pk, to_type=to_type, to_id=other.pk).first() \
        or CaseLink.objects.filter(from_type=to_type, from_id=other.pk, to_type=from_type, to_id=case.pk).first()
    if existing is not None:
        return existing
    link = CaseLink.objects.create(council_id=case.council_id, from_type=from_type, from_id=case.pk,
                                   to_type=to_type, to_id=other.pk, score=score, note=note, created_by=actor)
    audit.record(case, "case_linked", actor=actor, comment=note,
                 new={"to_type": to_type, "to_id": other.pk, "to_title": other.title, "score": score})
    audit.record(other, "case_linked", actor=actor, comment=note,
                 new={"to_type": from_type, "to_id": case.pk, "to_title": case.title, "score": score})
    return link

