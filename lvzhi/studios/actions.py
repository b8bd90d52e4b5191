"""Writers of studios: permission (:class:`ForbiddenError`), validation naming the field (:class:`DomainError`,
nothing written), a transaction and an audit entry each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.core import audit
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.members.choices import OrganisationKind
from lvzhi.members.models import Council, Member, Organisation
from lvzhi.studios.access import may_list_items, may_manage, may_record
from lvzhi.studios.models import (
    ActivityKind,
    ConsultationItem,
    OutcomeKind,
    Studio,
    StudioActivity,
    StudioKind,
    StudioMember,
)


def _text(value: str | None, field: str, label: str, *, required: bool = False, max_length: int = 200) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


@transaction.atomic
def create_studio(actor: Any, council: Council, *, name: str, kind: str, sector: Organisation | None = None,
                  address: str = "", members: Sequence[tuple[Member, bool]] = ()) -> Studio:
    """A studio of ``council`` (staff) with ``members`` as ``(member, is_head)``; the name is unique in the council."""
    if not may_manage(actor, council.pk):
        raise ForbiddenError("只有本机构的工作人员可以设立工作室。")
    if kind not in StudioKind.values:
        raise DomainError("请选择类型：委员议事厅、委员工作室、委员工作站或委员之家。", field="kind")
    name = _text(name, "name", "名称", required=True, max_length=100)
    if Studio.objects.filter(council=council, name=name).exists():
        raise DomainError(f"已有名为“{name}”的工作室。", field="name")
    if sector is not None and (sector.council_id != council.pk or sector.kind != OrganisationKind.SECTOR):
        raise DomainError("界别须为本机构的界别。", field="sector")
    studio = Studio.objects.create(council=council, name=name, kind=kind, sector=sector, created_by=actor,
                                   address=_text(address, "address", "地址"))
    _set_members(studio, members)
    audit.record(studio, "studio_created", actor=actor, council_id=council.pk,
                 new={"name": name, "kind": kind, "members": [m.pk for m, _h in members]})
    return studio


def _set_members(studio: Studio, members: Sequence[tuple[Member, bool]]) -> None:
    seen: set[int] = set()
    for member, _head in members:
        if member.council_id != studio.council_id:
            raise DomainError(f"{member.name} 不是本机构的委员或代表。", field="members")
        if member.pk in seen:
            raise DomainError(f"{member.name} 重复。", field="members")
        seen.add(member.pk)
    studio.members.all().delete()
    StudioMember.objects.bulk_create([StudioMember(studio=studio, member=m, is_head=h) for m, h in members])


@transaction.atomic
def set_members(actor: Any, studio_id: int, members: Sequence[tuple[Member, bool]]) -> Studio:
    """Replace the studio's members (staff)."""
    studio = Studio.objects.select_for_update().get(pk=studio_id)
    if not may_manage(actor, studio.council_id):
        raise ForbiddenError("只有本机构的工作人员可以调整工作室成员。")
    before = sorted(studio.members.values_list("member_id", flat=True))
    _set_members(studio, members)
    audit.record(studio, "studio_members_set", actor=actor, council_id=studio.council_id,
                 old={"members": before}, new={"members": sorted(m.pk for m, _h in members)})
    return studio


@transaction.atomic
def record_activity(actor: Any, studio_id: int, *, day: date, title: str, kind: str,
                    participants: Sequence[Member], people_reached: int = 0, summary: str = "",
                    outcome_kind: str = "", outcome: str = "") -> StudioActivity:
    """An activity of the studio (staff or a head), with the members who took part (members of the studio),
    the people reached (人次, ≥ 0) and what came of it (an outcome kind needs its text)."""
    studio = Studio.objects.select_for_update().get(pk=studio_id)
    if not may_record(actor, studio):
        raise ForbiddenError("只有工作人员或工作室负责人可以记录活动。")
    if kind not in ActivityKind.values:
        raise DomainError("请选择活动类型。", field="kind")
    if outcome_kind not in OutcomeKind.values:
        raise DomainError("成果类型无效。", field="outcome_kind")
    if people_reached < 0:
        raise DomainError("「联系群众（人次）」不能为负数。", field="people_reached")
    if not participants:
        raise DomainError("请选择参加活动的委员/代表。", field="participants")
    inside = set(studio.members.values_list("member_id", flat=True))
    outside = [m.name for m in participants if m.pk not in inside]
    if outside:
        raise DomainError(f"{'、'.join(outside)} 不是本工作室成员。", field="participants")
    outcome = _text(outcome, "outcome", "活动成果", required=bool(outcome_kind), max_length=5000)
    activity = StudioActivity.objects.create(studio=studio, day=day, kind=kind, people_reached=people_reached,
                                             title=_text(title, "title", "活动名称", required=True),
                                             summary=_text(summary, "summary", "活动情况", max_length=20000),
                                             outcome_kind=outcome_kind, outcome=outcome, created_by=actor)
    activity.participants.set(participants)
    audit.record(activity, "studio_activity_recorded", actor=actor, council_id=studio.council_id,
                 new={"studio": studio.pk, "day": day, "participants": [m.pk for m in participants]})
    return activity


# --- consultation list (协商清单) -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemDraft:
    """One item to list: ``title`` (≤ 200 characters), ``content`` (the consultation's opinion, ≤ 5000) and the
    members who raised it (participants of the activity)."""

    title: str
    content: str
    raised_by: Sequence[Member]


@transaction.atomic
def list_items(actor: Any, activity_id: int, items: Sequence[ItemDraft]) -> list[ConsultationItem]:
    """Turn the outcome of a 委员议事厅 activity into consultation-list items (形成协商清单), all or none: each
    numbered per year by the council's policy (``2026-XS01`` by default) in its initial (assignable) state.

    Staff of the council or a head (召集人) of the hall. Raises :class:`ForbiddenError`, :class:`DomainError`
    (``activity`` not a hall's activity; ``items`` none given; ``items.<i>.title`` missing, too long or listed
    twice for this activity; ``items.<i>.raised_by`` none, or not a participant), nothing written then.
    """
    from lvzhi.cases.policy import policy_for, take_number, workflow_for
    from lvzhi.studios.defaults import CASE_TYPE

    activity = StudioActivity.objects.select_for_update().select_related("studio").filter(pk=activity_id).first()
    if activity is None:
        raise NotFoundError("未找到该活动。")
    if not may_list_items(actor, activity):
        if activity.studio.kind != StudioKind.HALL:
            raise DomainError("只有委员议事厅的活动可以形成协商清单。", field="activity")
        raise ForbiddenError("只有工作人员或议事厅召集人可以形成协商清单。")
    if not items:
        raise DomainError("请至少填写一条协商清单事项。", field="items")
    participants = set(activity.participants.values_list("pk", flat=True))
    taken = set(activity.consultation_items.values_list("title", flat=True))
    clean: list[tuple[str, str, list[Member]]] = []
    for i, draft in enumerate(items, start=1):
        title = _text(draft.title, f"items.{i}.title", f"第 {i} 条的事项名称", required=True)
        if title in taken:
            raise DomainError(f"第 {i} 条“{title}”已列入本次活动的协商清单。", field=f"items.{i}.title")
        taken.add(title)
        content = _text(draft.content, f"items.{i}.content", f"第 {i} 条的协商意见", max_length=5000)
        if not draft.raised_by:
            raise DomainError(f"请选择第 {i} 条的提出委员。", field=f"items.{i}.raised_by")
        outside = [m.name for m in draft.raised_by if m.pk not in participants]
        if outside:
            raise DomainError(f"第 {i} 条：{'、'.join(outside)} 未参加本次活动。", field=f"items.{i}.raised_by")
        clean.append((title, content, list(draft.raised_by)))
    council_id = activity.studio.council_id
    workflow = workflow_for(council_id, CASE_TYPE)
    pol = policy_for(council_id, CASE_TYPE)
    created = []
    for title, content, raised_by in clean:
        item = ConsultationItem.objects.create(
            council_id=council_id, activity=activity, workflow=workflow, state=workflow.initial_state(),
            title=title, content=content, year=activity.day.year, created_by=actor)
        item.raised_by.set(raised_by)
        item.number = take_number(item, pol)
        item.save(update_fields=["number"])
        audit.record(item, "created", actor=actor, council_id=council_id, to_state=item.state.code,
                     new={"activity": activity.pk, "title": title, "number": item.number,
                          "raised_by": [m.pk for m in raised_by]})
        created.append(item)
    return created


@transaction.atomic
def record_adoption(actor: Any, item_id: int, *, act: str, note: str = "",
                    expected_version: int | None = None) -> ConsultationItem:
    """Staff record how the unit's answer was taken up: ``act`` is one of the workflow's adoption acts
    (``adopt`` 采纳, ``adopt_partly`` 部分采纳, ``not_adopt`` 未采纳 — the last needs ``note``, the reason) or
    ``implement`` (已落实, today). The item moves by that act; the outcome is kept on the item.

    Raises :class:`DomainError` (``act`` unknown; ``state`` when the item's state has no such act — e.g. before
    the reply or a second time; ``comment`` a missing reason), :class:`ForbiddenError`, :class:`NotFoundError`,
    :class:`ConflictError` (stale ``expected_version``: a double submit)."""
    from lvzhi.cases.actions import lock
    from lvzhi.studios.defaults import ADOPTION_ACTS, IMPLEMENT_ACT
    from lvzhi.workflow import engine

    if act not in ADOPTION_ACTS and act != IMPLEMENT_ACT:
        raise DomainError("请选择采纳情况：采纳、部分采纳、未采纳或已落实。", field="act")
    item: ConsultationItem = lock(ConsultationItem, item_id, actor)
    transition = engine.authorize(item, act, actor, expected_version=expected_version)
    note = _text(note, "note", "采纳说明", required=transition.requires_comment, max_length=5000)
    if act == IMPLEMENT_ACT:
        changes: dict[str, Any] = {"implemented_on": timezone.localdate()}
    else:
        changes = {"adoption": ADOPTION_ACTS[act], "adoption_note": note}
    engine.move(item, act, actor=actor, comment=note, changes=changes)
    return item
