"""``/api/studios``: the studios a user may see (staff and leaders: the council's; a member: theirs) with their
members and activities, and recording an activity (staff or a head). Errors as every API."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Router, Schema, Status

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import DomainError
from lvzhi.members.models import Member
from lvzhi.studios import actions as writers
from lvzhi.studios.access import access_studio, visible_studios
from lvzhi.studios.models import Studio, StudioActivity

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
