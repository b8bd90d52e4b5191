"""JSON API of the organisation (``/api/org``) and of the caller's notifications (``/api/notifications``).

Reads only (the organisation is edited in the admin and the import commands). Every list is limited to the
caller's council; an administrator without a council sees every council and may pass ``council``. An
account without a profile has no rights: its lists are empty and ``/api/org/me`` answers 404. Members'
phone numbers are not exposed (personal information).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import NotFoundError
from lvzhi.core.models import Notification
from lvzhi.core.paging import MAX_OFFSET
from lvzhi.members.access import profile_of
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Session, Term
from lvzhi.proposals.models import Category
from lvzhi.workflow.models import ReplyGrade

router = Router()
notifications_router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {401: Message, 404: Message}


# ---------------------------------------------------------------------------------------------- shapes


class Ref(Schema):
    id: int
    name: str


class MeOut(Schema):
    """The caller: account, role and what it acts for."""

    id: int
    username: str
    display_name: str
    role: Role
    role_label: str
    council: Ref | None
    member: Ref | None
    unit: Ref | None


class CouncilOut(Schema):
    id: int
    kind: CouncilKind
    name: str
    short_name: str
    case_number_pattern: str


class TermOut(Schema):
    id: int
    council_id: int
    number: int
    start_date: date
    end_date: date | None


class SessionOut(Schema):
    id: int
    term_id: int
    term_number: int
    number: int
    name: str
    window_start: date
    plenary_start: date
    plenary_end: date


class OrganisationOut(Schema):
    id: int
    council_id: int
    kind: OrganisationKind
    name: str


class MemberOut(Schema):
    id: int
    council_id: int
    term_id: int
    name: str
    gender: str
    sector: Ref | None
    party_group: Ref | None
    special_committee: Ref | None
    liaison_group: Ref | None
    workplace: str
    active: bool


class MemberPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[MemberOut]


class UnitOut(Schema):
    id: int
    council_id: int
    name: str
    short_name: str
    active: bool


class CategoryOut(Schema):
    id: int
    council_id: int
    name: str
    order: int


class ReplyGradeOut(Schema):
    id: int
    council_id: int
    code: str
    label: str
    order: int
    needs_follow_up: bool


class CouncilFilter(Schema):
    council: int | None = Field(None, description="机构 id（仅不限机构的系统管理员需要）")


class MemberFilter(CouncilFilter):
    q: str | None = Field(None, description="姓名包含")
    term: int | None = None
    active: bool | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OrganisationFilter(CouncilFilter):
    kind: OrganisationKind | None = None


class SessionFilter(CouncilFilter):
    term: int | None = None


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    total: int
    unread: int
    limit: int
    offset: int
    items: list[NotificationOut]


class NotificationFilter(Schema):
    unread: bool = Field(False, description="仅未读")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class MarkedOut(Schema):
    marked: int


# ---------------------------------------------------------------------------------------------- scope


def council_ids(user: Any, council: int | None = None) -> list[int] | None:
    """The councils ``user`` may list: ``[their council]``; for an administrator without a council
    ``None`` (every council) or ``[council]`` when given; ``[]`` for an account without a profile or when
    asking for another council."""
    profile = profile_of(user)
    if profile is None:
        return []
    if profile.council_id is None:
        if profile.role != Role.ADMIN:
            return []
        return None if council is None else [council]
    if council is not None and council != profile.council_id:
        return []
    return [profile.council_id]


def _scoped(qs: QuerySet[Any], user: Any, council: int | None, field: str = "council_id") -> QuerySet[Any]:
    ids = council_ids(user, council)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


# ---------------------------------------------------------------------------------------------- endpoints


@router.get("/me", response={200: MeOut, **ERRORS}, summary="我的账号")
def me(request: ApiRequest) -> dict[str, Any]:
    profile = profile_of(request.auth)
    if profile is None:
        raise NotFoundError("该账号尚未分配角色，请联系系统管理员。")
    return {"id": request.auth.pk, "username": request.auth.get_username(),
            "display_name": profile.display_name or request.auth.get_username(), "role": profile.role,
            "role_label": str(profile.get_role_display()), "council": _ref(profile.council),
            "member": _ref(profile.member), "unit": _ref(profile.unit)}


@router.get("/councils", response={200: list[CouncilOut], **ERRORS}, summary="机构")
def councils(request: ApiRequest) -> QuerySet[Council]:
    return _scoped(Council.objects.all(), request.auth, None, "pk")


@router.get("/terms", response={200: list[TermOut], **ERRORS}, summary="届")
def terms(request: ApiRequest, filters: Query[CouncilFilter]) -> QuerySet[Term]:
    return _scoped(Term.objects.all(), request.auth, filters.council).order_by("council_id", "-number")


@router.get("/sessions", response={200: list[SessionOut], **ERRORS}, summary="会议（次会议）")
def sessions(request: ApiRequest, filters: Query[SessionFilter]) -> list[dict[str, Any]]:
    qs = _scoped(Session.objects.select_related("term__council"), request.auth, filters.council, "term__council_id")
    if filters.term is not None:
        qs = qs.filter(term_id=filters.term)
    return [{"id": s.pk, "term_id": s.term_id, "term_number": s.term.number, "number": s.number, "name": str(s),
             "window_start": s.window_start, "plenary_start": s.plenary_start, "plenary_end": s.plenary_end}
            for s in qs.order_by("-term__number", "-number")]


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS},
            summary="组织（界别、党派团体、专委会等）")
def organisations(request: ApiRequest, filters: Query[OrganisationFilter]) -> QuerySet[Organisation]:
    qs = _scoped(Organisation.objects.all(), request.auth, filters.council)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind.value)
    return qs


@router.get("/members", response={200: MemberPage, **ERRORS}, summary="委员")
def members(request: ApiRequest, filters: Query[MemberFilter]) -> dict[str, Any]:
    qs = _scoped(Member.objects.all(), request.auth, filters.council)
    if filters.q:
        qs = qs.filter(name__contains=filters.q.strip())
    if filters.term is not None:
        qs = qs.filter(term_id=filters.term)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    page = qs.select_related("sector", "party_group", "special_committee", "liaison_group").order_by("name", "id")
    return {"total": qs.count(), "limit": filters.limit, "offset": filters.offset,
            "items": list(page[filters.offset:filters.offset + filters.limit])}


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="承办单位")
def units(request: ApiRequest, filters: Query[CouncilFilter], active: bool | None = None) -> QuerySet[HandlingUnit]:
    qs = _scoped(HandlingUnit.objects.all(), request.auth, filters.council)
    return qs.filter(active=active) if active is not None else qs


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, summary="提案类别")
def categories(request: ApiRequest, filters: Query[CouncilFilter]) -> QuerySet[Category]:
    return _scoped(Category.objects.all(), request.auth, filters.council)


@router.get("/reply-grades", response={200: list[ReplyGradeOut], **ERRORS}, summary="答复类别")
def reply_grades(request: ApiRequest, filters: Query[CouncilFilter]) -> QuerySet[ReplyGrade]:
    """The active grades of the caller's council's scale (A/B/C/D or three grades)."""
    return _scoped(ReplyGrade.objects.filter(active=True), request.auth, filters.council)


# ---------------------------------------------------------------------------------------------- notifications


@notifications_router.get("", response={200: NotificationPage, **ERRORS}, summary="我的通知")
def list_notifications(request: ApiRequest, filters: Query[NotificationFilter]) -> dict[str, Any]:
    mine = Notification.objects.filter(recipient=request.auth)
    unread = mine.filter(read_at__isnull=True)
    qs = unread if filters.unread else mine
    return {"total": qs.count(), "unread": unread.count(), "limit": filters.limit, "offset": filters.offset,
            "items": list(qs.order_by("-created_at", "-id")[filters.offset:filters.offset + filters.limit])}


@notifications_router.post("/{int:notification_id}/read", response={200: MarkedOut, **ERRORS}, summary="标为已读")
def mark_read(request: ApiRequest, notification_id: int) -> dict[str, int]:
    mine = Notification.objects.filter(recipient=request.auth, pk=notification_id)
    if not mine.exists():
        raise NotFoundError()
    return {"marked": mine.filter(read_at__isnull=True).update(read_at=timezone.now())}


@notifications_router.post("/read-all", response={200: MarkedOut, **ERRORS}, summary="全部标为已读")
def mark_all_read(request: ApiRequest) -> dict[str, int]:
    marked = Notification.objects.filter(recipient=request.auth, read_at__isnull=True).update(read_at=timezone.now())
    return {"marked": marked}
