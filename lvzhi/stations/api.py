"""JSON API of the liaison stations (mounted at ``/api/stations``). Thin: parse, access
(:mod:`lvzhi.stations.access`), act (:mod:`lvzhi.stations.actions`), answer. Errors as every router:
``{"detail", "field"}`` with 400/403/404/409, 422 for a body not matching the schema.

================================================  ===================================================
``GET  ""`` / ``POST ""`` / ``PUT /{id}``          stations (public list) / create / change (staff, ``version``)
``GET  /{id}/turns`` / ``POST /{id}/turns``         coming turns / publish a turn (≥ notice days ahead)
``POST /turns/{id}/confirm``                       the deputy on duty confirms
``POST /{id}/receptions``                          register a reception with its matters (``token``)
``GET  /matters`` / ``GET /matters/{id}``          visible matters / one matter
``POST /matters/{id}/answer|refer|convert|decline|resolve|feedback``  triage and feedback (``version``)
``GET  /figures``                                  the 数读 figures (``council``, ``start``, ``end``)
================================================  ===================================================
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.paging import MAX_OFFSET
from lvzhi.members.models import Council, Member
from lvzhi.stations import actions as act
from lvzhi.stations import queries
from lvzhi.stations.access import (
    access_matter,
    access_station,
    is_registry_staff,
    public_stations,
    visible_matters,
)
from lvzhi.stations.models import Matter, RotaTurn, Station

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class StationOut(Schema):
    id: int
    council_id: int
    name: str
    level: str
    district: str
    town: str
    address: str
    opening_hours: str
    contact_name: str
    phone: str
    active: bool
    version: int
    deputies: list[int]

    @staticmethod
    def resolve_deputies(obj: Station) -> list[int]:
        return sorted(obj.deputies.values_list("pk", flat=True))


class StationIn(Schema):
    council: int
    name: str = Field(..., max_length=100)
    level: str = Field(..., max_length=10)
    district: str = Field(..., max_length=50)
    town: str = Field(..., max_length=50)
    address: str = Field(..., max_length=200)
    opening_hours: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=50)
    phone: str = Field("", max_length=30)
    deputies: list[int] = []
    version: int | None = None


class TurnOut(Schema):
    id: int
    station_id: int
    date: date
    half_day: str
    hours: str
    topic: str
    deputies: list[dict[str, Any]]

    @staticmethod
    def resolve_deputies(obj: RotaTurn) -> list[dict[str, Any]]:
        return [{"id": d.member_id, "name": d.member.name, "confirmed": d.confirmed_at is not None}
                for d in obj.duty.select_related("member")]


class TurnIn(Schema):
    date: date
    half_day: str = Field(..., max_length=4)
    deputies: list[int]
    hours: str = Field("", max_length=50)
    topic: str = Field("", max_length=100)


class MatterIn(Schema):
    content: str = Field(..., max_length=5000)
    visitor_name: str = Field("", max_length=50)
    visitor_contact: str = Field("", max_length=50)


class ReceptionIn(Schema):
    date: date
    deputies: list[int]
    visitors: int = Field(0, ge=0, le=10000)
    matters: list[MatterIn] = []
    note: str = Field("", max_length=2000)
    token: str | None = Field(None, max_length=64)


class MatterOut(Schema):
    id: int
    station_id: int
    reception_id: int | None
    source: str
    content: str
    state: str
    state_name: str
    closed: bool
    outcome: str
    referred_to: str
    answer: str
    decline_ground: str
    decline_reason: str
    suggestion_id: int | None
    solved_at: datetime | None
    fed_back_at: datetime | None
    version: int

    @staticmethod
    def resolve_state(obj: Matter) -> str:
        return obj.state.code

    @staticmethod
    def resolve_state_name(obj: Matter) -> str:
        return obj.state.name

    @staticmethod
    def resolve_closed(obj: Matter) -> bool:
        return obj.state.is_closed


class ReceptionOut(Schema):
    id: int
    station_id: int
    date: date
    visitors: int
    matters: list[MatterOut]

    @staticmethod
    def resolve_matters(obj: Any) -> list[Matter]:
        return list(obj.matters.select_related("state").order_by("id"))


class AnswerIn(Schema):
    answer: str = Field(..., max_length=5000)
    version: int | None = None


class ReferIn(Schema):
    to: str = Field(..., max_length=12)
    referred_to: str = Field(..., max_length=100)
    version: int | None = None


class ConvertIn(Schema):
    deputy: int
    title: str = Field(..., max_length=200)
    version: int | None = None


class DeclineIn(Schema):
    ground: str = Field(..., max_length=12)
    reason: str = Field(..., max_length=5000)
    version: int | None = None


class ResolveIn(Schema):
    result: str = Field(..., max_length=5000)
    solved: bool = True
    version: int | None = None


class FeedbackIn(Schema):
    to_citizen: str = Field(..., max_length=5000)
    to_deputy: str = Field(..., max_length=5000)
    version: int | None = None


class FiguresQuery(Schema):
    council: int
    start: date
    end: date


class FiguresOut(Schema):
    start: date
    end: date
    stations: int
    central_stations: int
    receptions: int
    visitors: int
    deputies_taking_part: int
    matters: int
    by_outcome: dict[str, int]
    untriaged: int
    solved: int
    solved_within_month: int
    converted: int
    fed_back: int
    stations_by_stars: dict[int, int]


def _members(council_id: int, pks: list[int], field: str) -> list[Member]:
    found = Member.objects.filter(council_id=council_id).in_bulk(pks)
    missing = [str(pk) for pk in pks if pk not in found]
    if missing:
        raise DomainError(f"代表（id {'、'.join(missing)}）不是本机构的代表。", field=field)
    return [found[pk] for pk in dict.fromkeys(pks)]


def _matter(pk: int) -> Matter:
    return Matter.objects.select_related("state").get(pk=pk)


@router.get("", response={200: list[StationOut], **ERRORS}, summary="联络站列表")
def list_stations(request: ApiRequest, council: int | None = None) -> list[Station]:
    return list(public_stations(council).order_by("district", "town", "name"))


@router.post("", response={201: StationOut, **ERRORS}, summary="新建联络站")
def create_station(request: ApiRequest, payload: StationIn) -> Status[Station]:
    council = Council.objects.filter(pk=payload.council).first()
    if council is None or not is_registry_staff(request.auth, council.pk):
        raise NotFoundError()
    fields = payload.dict(exclude={"council", "deputies", "version"})
    station = act.save_station(request.auth, council, deputies=_members(council.pk, payload.deputies, "deputies"),
                               **fields)
    return Status(201, station)


@router.put("/{int:station_id}", response={200: StationOut, **ERRORS}, summary="修改联络站")
def update_station(request: ApiRequest, station_id: int, payload: StationIn) -> Station:
    station = access_station(station_id, user=request.auth, manage=True)
    fields = payload.dict(exclude={"council", "deputies", "version"})
    return act.save_station(request.auth, station.council, station=station, expected_version=payload.version,
                            deputies=_members(station.council_id, payload.deputies, "deputies"), **fields)


@router.get("/{int:station_id}/turns", response={200: list[TurnOut], **ERRORS}, summary="近期接待排班")
def list_turns(request: ApiRequest, station_id: int) -> list[RotaTurn]:
    return queries.upcoming_turns(station=access_station(station_id))


@router.post("/{int:station_id}/turns", response={201: TurnOut, **ERRORS}, summary="发布接待排班")
def publish_turn(request: ApiRequest, station_id: int, payload: TurnIn) -> Status[RotaTurn]:
    station = access_station(station_id, user=request.auth, manage=True)
    turn = act.publish_turn(request.auth, station, date=payload.date, half_day=payload.half_day,
                            deputies=_members(station.council_id, payload.deputies, "deputies"),
                            hours=payload.hours, topic=payload.topic)
    return Status(201, turn)


@router.post("/turns/{int:turn_id}/confirm", response={200: TurnOut, **ERRORS}, summary="代表确认排班")
def confirm_turn(request: ApiRequest, turn_id: int) -> RotaTurn:
    return act.confirm_turn(request.auth, turn_id).turn


@router.post("/{int:station_id}/receptions", response={201: ReceptionOut, **ERRORS}, summary="登记进站接待")
def register_reception(request: ApiRequest, station_id: int, payload: ReceptionIn) -> Status[Any]:
    station = access_station(station_id)
    reception = act.register_reception(
        request.auth, station, date=payload.date, deputies=_members(station.council_id, payload.deputies, "deputies"),
        visitors=payload.visitors, matters=[m.dict() for m in payload.matters], note=payload.note,
        token=payload.token)
    return Status(201, reception)


@router.get("/matters", response={200: list[MatterOut], **ERRORS}, summary="群众反映事项")
def list_matters(request: ApiRequest, limit: int = Query(50, ge=1, le=200),
                 offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> list[Matter]:
    qs = visible_matters(request.auth).select_related("state").order_by("-created_at", "-id")
    return list(qs[offset:offset + limit])


@router.get("/matters/{int:matter_id}", response={200: MatterOut, **ERRORS}, summary="事项详情")
def get_matter(request: ApiRequest, matter_id: int) -> Matter:
    return access_matter(request.auth, matter_id)


@router.post("/matters/{int:matter_id}/answer", response={200: MatterOut, **ERRORS}, summary="当场答复")
def answer(request: ApiRequest, matter_id: int, payload: AnswerIn) -> Matter:
    act.answer_on_spot(request.auth, matter_id, answer=payload.answer, expected_version=payload.version)
    return _matter(matter_id)


@router.post("/matters/{int:matter_id}/refer", response={200: MatterOut, **ERRORS}, summary="转交镇街或常委会")
def refer(request: ApiRequest, matter_id: int, payload: ReferIn) -> Matter:
    act.refer(request.auth, matter_id, to=payload.to, referred_to=payload.referred_to,
              expected_version=payload.version)
    return _matter(matter_id)


@router.post("/matters/{int:matter_id}/convert", response={200: MatterOut, **ERRORS}, summary="转为代表建议")
def convert(request: ApiRequest, matter_id: int, payload: ConvertIn) -> Matter:
    matter = access_matter(request.auth, matter_id)
    deputy = _members(matter.council_id, [payload.deputy], "deputy")[0]
    act.convert_to_suggestion(request.auth, matter_id, deputy=deputy, title=payload.title,
                              expected_version=payload.version)
    return _matter(matter_id)


@router.post("/matters/{int:matter_id}/decline", response={200: MatterOut, **ERRORS}, summary="不予受理")
def decline(request: ApiRequest, matter_id: int, payload: DeclineIn) -> Matter:
    act.decline(request.auth, matter_id, ground=payload.ground, reason=payload.reason,
                expected_version=payload.version)
    return _matter(matter_id)


@router.post("/matters/{int:matter_id}/resolve", response={200: MatterOut, **ERRORS}, summary="登记办理结果")
def resolve(request: ApiRequest, matter_id: int, payload: ResolveIn) -> Matter:
    act.resolve(request.auth, matter_id, result=payload.result, solved=payload.solved,
                expected_version=payload.version)
    return _matter(matter_id)


@router.post("/matters/{int:matter_id}/feedback", response={200: MatterOut, **ERRORS}, summary="反馈群众和代表")
def feedback(request: ApiRequest, matter_id: int, payload: FeedbackIn) -> Matter:
    act.record_feedback(request.auth, matter_id, to_citizen=payload.to_citizen, to_deputy=payload.to_deputy,
                        expected_version=payload.version)
    return _matter(matter_id)


@router.get("/figures", response={200: FiguresOut, **ERRORS}, summary="联络站数读")
def figures(request: ApiRequest, q: Query[FiguresQuery]) -> queries.Figures:
    if not is_registry_staff(request.auth, q.council):
        raise NotFoundError()
    if q.end < q.start:
        raise DomainError("「end」不能早于「start」。", field="end")
    return queries.station_figures(q.council, q.start, q.end)
