"""``/api/studios``: the studios a user may see (staff and leaders: the council's; a member: theirs) with their
members and activities, and recording an activity (staff or a head). Errors as every API."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Router, Schema, Status

from lvzhi.cases import actions as cases
from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.members.models import HandlingUnit, Member
from lvzhi.studios import actions as writers
from lvzhi.studios.access import access_item, access_studio, visible_items, visible_studios
from lvzhi.studios.models import ConsultationItem, Studio, StudioActivity
from lvzhi.studios.queries import filter_items, item_units

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class ActivityOut(Schema):
    id: int
    day: date
    title: str
    kind: str
    people_reached: int
    participants: list[int]
    outcome_kind: str
    outcome: str

    @staticmethod
    def resolve_participants(obj: StudioActivity) -> list[int]:
        return sorted(m.pk for m in obj.participants.all())


class StudioOut(Schema):
    id: int
    name: str
    kind: str
    sector_id: int | None
    members: list[dict[str, Any]]
    activities: list[ActivityOut]

    @staticmethod
    def resolve_members(obj: Studio) -> list[dict[str, Any]]:
        return [{"member_id": m.member_id, "name": m.member.name, "is_head": m.is_head} for m in obj.members.all()]

    @staticmethod
    def resolve_activities(obj: Studio) -> list[StudioActivity]:
        return list(obj.activities.all())


class ActivityIn(Schema):
    day: date
    title: str = Field(..., max_length=200)
    kind: str = Field(..., max_length=14)
    participants: list[int]
    people_reached: int = Field(0, ge=0, le=10_000_000)
    summary: str = Field("", max_length=20000)
    outcome_kind: str = Field("", max_length=10)
    outcome: str = Field("", max_length=5000)


@router.get("", response={200: list[StudioOut], **ERRORS}, summary="委员工作室列表（含成员和活动）")
def studios(request: ApiRequest) -> list[Studio]:
    return list(visible_studios(request.auth).prefetch_related("members__member", "activities__participants")[:500])


@router.post("/{int:studio_id}/activities", response={201: ActivityOut, **ERRORS}, summary="记录工作室活动")
def add_activity(request: ApiRequest, studio_id: int, payload: ActivityIn) -> Status[StudioActivity]:
    studio = access_studio(request.auth, studio_id)
    members = list(Member.objects.filter(pk__in=payload.participants, council_id=studio.council_id))
    if len(members) != len(set(payload.participants)):
        raise DomainError("参加人员中有不属于本机构的委员（代表）。", field="participants")
    activity = writers.record_activity(request.auth, studio.pk, day=payload.day, title=payload.title,
                                       kind=payload.kind, participants=members,
                                       people_reached=payload.people_reached, summary=payload.summary,
                                       outcome_kind=payload.outcome_kind, outcome=payload.outcome)
    return Status(201, activity)


# --- consultation list (协商清单) -------------------------------------------------------------------------
#
# ``GET  /items``                      the items the caller may see (filters: year, state, unit, adoption, activity)
# ``GET  /items/{id}``                 one item with its units
# ``POST /activities/{id}/items``      形成协商清单 from a 委员议事厅 activity (staff or the hall's convener)
# ``POST /items/{id}/assign``          交办 through the core (staff; ``version``)
# ``POST /items/{id}/adoption``        record 采纳/部分采纳/未采纳/已落实 (staff; ``version``)
# The unit's reply goes through ``/api/cases/assignments/{id}/reply`` and ``/api/cases/replies/{id}/sign-off``.


class ItemUnitOut(Schema):
    assignment_id: int
    unit_id: int
    unit: str
    role: str
    status: str


class ItemOut(Schema):
    id: int
    number: str
    title: str
    content: str
    year: int
    activity_id: int
    state: str
    state_name: str
    adoption: str
    adoption_note: str
    implemented_on: date | None
    raised_by: list[int]
    units: list[ItemUnitOut]
    version: int

    @staticmethod
    def resolve_state(obj: ConsultationItem) -> str:
        return obj.state.code

    @staticmethod
    def resolve_state_name(obj: ConsultationItem) -> str:
        return obj.state.name

    @staticmethod
    def resolve_raised_by(obj: ConsultationItem) -> list[int]:
        return sorted(m.pk for m in obj.raised_by.all())

    @staticmethod
    def resolve_units(obj: ConsultationItem) -> list[dict[str, Any]]:
        found = getattr(obj, "live_assignments", None)
        assignments = found if found is not None else item_units([obj])[obj.pk]
        return [{"assignment_id": a.pk, "unit_id": a.unit_id, "unit": a.unit.name, "role": a.role, "status": a.status}
                for a in assignments]


class ItemDraftIn(Schema):
    title: str = Field(..., max_length=200)
    content: str = Field("", max_length=5000)
    raised_by: list[int]


class ItemsIn(Schema):
    items: list[ItemDraftIn] = Field(..., max_length=200)


class PlanItem(Schema):
    unit: int
    role: str = Field(..., max_length=10)


class AssignIn(Schema):
    units: list[PlanItem]
    comment: str = Field("", max_length=2000)
    version: int | None = None


class AdoptionIn(Schema):
    act: str = Field(..., max_length=40)
    note: str = Field("", max_length=5000)
    version: int | None = None


def _item(pk: int) -> ConsultationItem:
    return ConsultationItem.objects.select_related("state").get(pk=pk)


@router.get("/items", response={200: list[ItemOut], **ERRORS}, summary="协商清单事项列表")
def items(request: ApiRequest, year: int | None = None, state: int | None = None, unit: int | None = None,
          adoption: str | None = None, activity: int | None = None) -> list[ConsultationItem]:
    qs = filter_items(visible_items(request.auth), year=year, state=state, unit=unit, adoption=adoption,
                      activity=activity)
    found = list(qs.select_related("state").prefetch_related("raised_by")[:1000])
    units = item_units(found)
    for i in found:
        i.live_assignments = units[i.pk]  # type: ignore[attr-defined]
    return found


@router.get("/items/{int:item_id}", response={200: ItemOut, **ERRORS}, summary="协商清单事项")
def item(request: ApiRequest, item_id: int) -> ConsultationItem:
    return access_item(request.auth, item_id)


@router.post("/activities/{int:activity_id}/items", response={201: list[ItemOut], **ERRORS}, summary="形成协商清单")
def list_items(request: ApiRequest, activity_id: int, payload: ItemsIn) -> Status[list[ConsultationItem]]:
    activity = StudioActivity.objects.filter(pk=activity_id, studio__in=visible_studios(request.auth)).first()
    if activity is None:
        raise NotFoundError("未找到该活动，或您无权查看。")
    wanted = {pk for d in payload.items for pk in d.raised_by}
    members = Member.objects.in_bulk([pk for pk in wanted])
    drafts = []
    for i, d in enumerate(payload.items, start=1):
        missing = [pk for pk in d.raised_by if pk not in members]
        if missing:
            raise DomainError(f"第 {i} 条的提出委员（id {'、'.join(map(str, missing))}）不存在。",
                              field=f"items.{i}.raised_by")
        drafts.append(writers.ItemDraft(d.title, d.content, [members[pk] for pk in dict.fromkeys(d.raised_by)]))
    created = writers.list_items(request.auth, activity.pk, drafts)
    return Status(201, [_item(i.pk) for i in created])


@router.post("/items/{int:item_id}/assign", response={200: ItemOut, **ERRORS}, summary="交办协商清单事项")
def assign(request: ApiRequest, item_id: int, payload: AssignIn) -> ConsultationItem:
    found = HandlingUnit.objects.in_bulk([p.unit for p in payload.units])
    missing = [str(p.unit) for p in payload.units if p.unit not in found]
    if missing:
        raise DomainError(f"承办单位（id {'、'.join(missing)}）不存在。", field="units")
    cases.assign(request.auth, ConsultationItem, item_id, [(found[p.unit], p.role) for p in payload.units],
                 expected_version=payload.version, comment=payload.comment)
    return _item(item_id)


@router.post("/items/{int:item_id}/adoption", response={200: ItemOut, **ERRORS}, summary="确认采纳情况")
def adoption(request: ApiRequest, item_id: int, payload: AdoptionIn) -> ConsultationItem:
    writers.record_adoption(request.auth, item_id, act=payload.act, note=payload.note,
                            expected_version=payload.version)
    return _item(item_id)
