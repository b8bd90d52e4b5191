"""The only writers of liaison stations: the registry, the rota, receptions and their matters, theme months
and the star rating (WORKFLOWS.md §6).

Each public function is one act: one transaction, permission checked first (:class:`ForbiddenError`), the
loaded version checked for edits (:class:`ConflictError`), one audit entry, notifications after the commit.
Refusals raise :class:`DomainError` with a Chinese message naming the field; nothing is half-written.
A matter moves through its workflow by acts (answer, refer, convert, decline, resolve, feedback) through
:mod:`lvzhi.workflow.engine`; turning a matter into a deputy suggestion drafts it through
:func:`lvzhi.suggestions.actions.create_suggestion` (the core's writer), linked both ways.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lvzhi.cases import people
from lvzhi.core import audit
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from lvzhi.members.choices import CouncilKind
from lvzhi.members.models import Council, Member, Session
from lvzhi.stations.access import council_pk, is_registry_staff, visible_matters
from lvzhi.stations.choices import DeclineGround, HalfDay, MatterSource, Outcome, StationLevel
from lvzhi.stations.defaults import CASE_TYPE, install_defaults
from lvzhi.stations.models import (
    Matter,
    RatingCriterion,
    RatingScore,
    Reception,
    RotaTurn,
    Station,
    StationPolicy,
    StationRating,
    ThemeActivity,
    TurnDeputy,
)
from lvzhi.workflow import engine
from lvzhi.workflow.models import Workflow

#: Longest matter text (characters) and other limits, as the form and the API check them.
CONTENT_MAX = 5000
ANSWER_MAX = 5000
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 12

STATION_FIELDS: dict[str, tuple[str, bool, int]] = {
    # field: (label, required, max length)
    "name": ("站名", True, 100), "district": ("所在区（县）", True, 50), "town": ("所在镇（街道）", True, 50),
    "address": ("地址", True, 200), "opening_hours": ("开放时间", False, 200), "contact_name": ("联系人", False, 50),
    "phone": ("联系电话", False, 30),
}


def _text(value: Any, field: str, label: str, *, required: bool = False, max_length: int | None = None) -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if max_length and len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


def policy_of(council: Council | int) -> StationPolicy:
    """The council's station rules (an unsaved instance with the defaults when none was stored: reading
    writes nothing)."""
    council_id = council_pk(council)
    return StationPolicy.objects.filter(council_id=council_id).first() or StationPolicy(council_id=council_id)


def _workflow(council: Council) -> Workflow:
    workflow = Workflow.objects.filter(council=council, case_type=CASE_TYPE, active=True).first()
    return workflow or install_defaults(council)


def _staff_only(actor: Any, council: Council, what: str) -> None:
    if not is_registry_staff(actor, council.pk):
        raise ForbiddenError(f"只有本机构的代表工作人员可以{what}。")


def _deputies(council: Council, members: Sequence[Member], field: str) -> list[Member]:
    out = list(dict.fromkeys(members))
    for m in out:
        if m.council_id != council.pk:
            raise DomainError(f"{m.name} 不是本机构的代表。", field=field)
    return out


def _station_url(station: Station) -> str:
    return f"/stations/{station.pk}/"


def _matter_url(matter: Matter) -> str:
    return f"/stations/matters/{matter.pk}/"


# ---------------------------------------------------------------------------------------------- registry


def clean_station_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The station's own fields checked and trimmed: each text field of :data:`STATION_FIELDS`, ``level``
    (中心站/普通站, as ``central``/``ordinary``). Raises :class:`DomainError` naming the field."""
    out: dict[str, Any] = {name: _text(values.get(name), name, label, required=req, max_length=mx)
                           for name, (label, req, mx) in STATION_FIELDS.items()}
    level = str(values.get("level") or "").strip()
    if level not in StationLevel.values:
        raise DomainError("「类型」须为中心站或普通站。", field="level")
    out["level"] = level
    return out


@transaction.atomic
def save_station(actor: Any, council: Council, *, station: Station | None = None,
                 expected_version: int | None = None, deputies: Sequence[Member] | None = None,
                 staff: Sequence[Any] | None = None, active: bool | None = None, is_demo: bool = False,
                 **values: Any) -> Station:
    """Create a station of ``council`` or change ``station`` (the council's staff only).

    ``values``: name, level, district, town, address, opening_hours, contact_name, phone (see
    :func:`clean_station_fields`); ``deputies`` the deputies attached (of the council); ``staff`` the
    station's staff accounts (with a capacity in the council). A station name is unique in the council.
    Raises :class:`ForbiddenError`, :class:`ConflictError` (stale ``expected_version``), :class:`DomainError`.
    """
    _staff_only(actor, council, "维护联络站")
    if council.kind != CouncilKind.NPC:
        raise DomainError("代表联络站属于人大常委会，政协机构不能登记。", field="council")
    if station is not None:
        station = Station.objects.select_for_update().get(pk=station.pk)
        if station.council_id != council.pk:
            raise NotFoundError()
        if expected_version is not None and station.version != int(expected_version):
            raise ConflictError("该联络站已被他人修改，请刷新页面后重试。")
    fields = clean_station_fields(values)
    clash = Station.objects.filter(council=council, name=fields["name"])
    if station is not None:
        clash = clash.exclude(pk=station.pk)
    if clash.exists():
        raise DomainError(f"已有名为「{fields['name']}」的联络站。", field="name")
    members = _deputies(council, deputies or [], "deputies") if deputies is not None else None
    if staff is not None:
        for user in staff:
            if not user.profiles.filter(council=council).exists():
                raise DomainError(f"账号 {user.get_username()} 不属于本机构。", field="staff")
    if station is None:
        install_defaults(council)  # the matter workflow and the published rating criteria, once
        try:
            with transaction.atomic():
                station = Station.objects.create(council=council, is_demo=is_demo, **fields)
        except IntegrityError:  # the same name saved by a concurrent request
            raise DomainError(f"已有名为「{fields['name']}」的联络站。", field="name") from None
        old: dict[str, Any] = {}
        event = "station_created"
    else:
        old = {k: getattr(station, k) for k in fields}
        for k, v in fields.items():
            setattr(station, k, v)
        station.version += 1
        station.save()
        event = "station_edited"
    if active is not None and station.active != active:
        old["active"], station.active = station.active, active
        station.save(update_fields=["active"])
    new: dict[str, Any] = dict(fields)
    if members is not None:
        old["deputies"] = sorted(station.deputies.values_list("name", flat=True)) if event == "station_edited" else []
        station.deputies.set(members)
        new["deputies"] = sorted(m.name for m in members)
    if staff is not None:
        station.staff.set(staff)
        new["staff"] = sorted(u.get_username() for u in staff)
    changed_old = {k: v for k, v in old.items() if new.get(k, getattr(station, k, None)) != v}
    audit.record(station, event, actor=actor, old=changed_old,
                 new={k: v for k, v in new.items() if event == "station_created" or k in changed_old})
    return station


# ---------------------------------------------------------------------------------------------- rota


def _turn_roles(actor: Any, station: Station) -> set[str]:
    roles = station.roles_of(actor)
    if not roles & {"staff", "station_staff"}:
        raise ForbiddenError("只有代表工作人员或本站工作人员可以发布接待排班。")
    return roles


@transaction.atomic
def publish_turn(actor: Any, station: Station, *, date: date, half_day: str, deputies: Sequence[Member],
                 hours: str = "", topic: str = "", today: date | None = None) -> RotaTurn:
    """Publish a reception turn: ``station`` on ``date`` (``half_day``: am/pm/eve/day), the ``deputies`` on
    duty (of the council; at least one), optional ``hours`` and ``topic``.

    The turn must be published at least the policy's ``rota_notice_days`` (2) days ahead: ``date`` ≥ today
    + notice days [C1][C2] (``today``: the day of publication, today by default). One turn per station, day
    and half-day. The deputies are told. Raises
    :class:`ForbiddenError` (neither the council's staff nor the station's), :class:`DomainError` (field
    ``date``, ``half_day``, ``deputies``).
    """
    _turn_roles(actor, station)
    if not station.active:
        raise DomainError("该联络站已停用，不能排班。", field="station")
    if half_day not in HalfDay.values:
        raise DomainError("请选择「时段」（上午、下午、晚上或全天）。", field="half_day")
    if not isinstance(date, type(timezone.localdate())):
        raise DomainError("请填写有效的「日期」。", field="date")
    today = today or timezone.localdate()
    notice = policy_of(station.council_id).rota_notice_days
    earliest = today + timedelta(days=notice)
    if date < earliest:
        raise DomainError(f"接待排班须至少提前 {notice} 天公布：{date:%Y-%m-%d} 的排班最迟应于 "
                          f"{date - timedelta(days=notice):%Y-%m-%d} 发布，现在只能安排 {earliest:%Y-%m-%d} 及以后的接待。",
                          field="date")
    members = _deputies(station.council, deputies, "deputies")
    if not members:
        raise DomainError("请选择值班代表。", field="deputies")
    hours = _text(hours, "hours", "具体时间", max_length=50)
    topic = _text(topic, "topic", "接待主题", max_length=100)
    if RotaTurn.objects.filter(station=station, date=date, half_day=half_day, cancelled=False).exists():
        raise DomainError(f"{station.name} {date:%Y-%m-%d} {HalfDay(half_day).label} 已有排班。", field="half_day")
    try:
        with transaction.atomic():
            turn = RotaTurn.objects.create(station=station, date=date, half_day=half_day, hours=hours, topic=topic,
                                           published_by=actor)
    except IntegrityError:  # the same turn published by a concurrent request
        raise DomainError(f"{station.name} {date:%Y-%m-%d} {HalfDay(half_day).label} 已有排班。",
                          field="half_day") from None
    TurnDeputy.objects.bulk_create([TurnDeputy(turn=turn, member=m) for m in members])
    audit.record(turn, "turn_published", actor=actor, council_id=station.council_id,
                 new={"station": station.name, "date": date, "half_day": half_day,
                      "deputies": [m.name for m in members]})
    recipients = [m.profile.user for m in members if getattr(m, "profile", None) is not None]
    audit.notify(recipients, "station_turn",
                 f"您被安排于 {date:%Y-%m-%d}（{HalfDay(half_day).label}）到{station.name}接待群众，请确认。",
                 url="/stations/my/")
    return turn


@transaction.atomic
def confirm_turn(actor: Any, turn_pk: Any) -> TurnDeputy:
    """A deputy on duty confirms their turn. Confirming twice changes nothing. Raises
    :class:`NotFoundError` when the actor is not on duty in that turn, :class:`DomainError` for a
    cancelled or past turn."""
    member_id = people.member_id_of(actor)
    row = (TurnDeputy.objects.select_for_update().select_related("turn__station")
           .filter(turn_id=turn_pk, member_id=member_id).first() if member_id else None)
    if row is None:
        raise NotFoundError()
    if row.turn.cancelled:
        raise DomainError("该排班已取消。", field="turn")
    if row.turn.date < timezone.localdate():
        raise DomainError("该排班日期已过，不能再确认。", field="turn")
    if row.confirmed_at is None:
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at"])
        audit.record(row.turn, "turn_confirmed", actor=actor, council_id=row.turn.station.council_id,
                     new={"member": row.member.name})
    return row


@transaction.atomic
def cancel_turn(actor: Any, turn_pk: Any, *, reason: str) -> RotaTurn:
    """Cancel a published turn with a reason (the deputies on duty are told)."""
    turn = RotaTurn.objects.select_for_update().select_related("station").filter(pk=turn_pk).first()
    if turn is None:
        raise NotFoundError()
    _turn_roles(actor, turn.station)
    reason = _text(reason, "reason", "取消原因", required=True, max_length=200)
    if turn.cancelled:
        raise DomainError("该排班已取消。", field="turn")
    turn.cancelled = True
    turn.save(update_fields=["cancelled"])
    audit.record(turn, "turn_cancelled", actor=actor, council_id=turn.station.council_id, comment=reason)
    members = [d.member for d in turn.duty.select_related("member__profile__user")]
    audit.notify([m.profile.user for m in members if getattr(m, "profile", None) is not None], "station_turn",
                 f"{turn.station.name} {turn.date:%Y-%m-%d} 的接待排班已取消：{reason}", url="/stations/my/")
    return turn


# ---------------------------------------------------------------------------------------------- receptions


@dataclass(frozen=True)
class MatterInput:
    """One matter as registered at a reception."""

    content: str
    visitor_name: str = ""
    visitor_contact: str = ""


def _new_matter(station: Station, workflow: Workflow, *, actor: Any, source: str, content: str,
                visitor_name: str, visitor_contact: str, reception: Reception | None = None,
                tracking_code: str | None = None, is_demo: bool = False) -> Matter:
    state = workflow.initial_state()
    matter = Matter.objects.create(
        council_id=station.council_id, station=station, reception=reception, source=source, content=content,
        visitor_name=visitor_name, visitor_contact=visitor_contact, workflow=workflow, state=state,
        tracking_code=tracking_code, created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo)
    audit.record(matter, "created", actor=actor, to_state=state.code,
                 new={"station": station.name, "source": source, "state_id": state.pk})
    return matter


def _matter_values(item: MatterInput | Mapping[str, Any], n: int | None) -> dict[str, str]:
    """The matter's fields checked; with ``n`` the fields are named ``matters.<n>.…`` and the message says
    which matter (第 n 件事项)."""
    get = (lambda k: item.get(k)) if isinstance(item, Mapping) else (lambda k: getattr(item, k))
    at = f"matters.{n}." if n else ""
    try:
        return {"content": _text(get("content"), f"{at}content", "反映内容", required=True, max_length=CONTENT_MAX),
                "visitor_name": _text(get("visitor_name"), f"{at}visitor_name", "反映人", max_length=50),
                "visitor_contact": _text(get("visitor_contact"), f"{at}visitor_contact", "联系方式", max_length=50)}
    except DomainError as exc:
        if not n:
            raise
        raise DomainError(f"第 {n} 件事项：{exc.message}", field=exc.field) from None


@transaction.atomic
def register_reception(actor: Any, station: Station, *, date: date, deputies: Sequence[Member], visitors: int,
                       matters: Sequence[MatterInput | Mapping[str, Any]], note: str = "",
                       turn: RotaTurn | None = None, token: str | None = None, is_demo: bool = False) -> Reception:
    """Register a reception at ``station`` on ``date`` (not in the future) with the ``deputies`` present (at
    least one, of the council), the number of ``visitors`` and its ``matters`` (each with its content; the
    visitor's name and contact optional), on the spot by the station's staff, the council's staff, or a
    deputy present (a deputy registers only receptions they were at).

    ``token`` is the form's one-time key: a second submission with the same token is refused
    (:class:`ConflictError`), so a double tap on a phone registers once. Raises :class:`ForbiddenError`,
    :class:`DomainError` naming the field (``matters.<n>.content`` for the n-th matter).
    """
    roles = station.roles_of(actor)
    member_id = people.member_id_of(actor)
    members = _deputies(station.council, deputies, "deputies")
    if not roles & {"staff", "station_staff"}:
        if not (member_id and any(m.pk == member_id for m in members)):
            raise ForbiddenError("只有本站工作人员、代表工作人员或参加接待的代表可以登记接待。")
    if token:
        if Reception.objects.filter(token=token).exists():
            raise ConflictError("该接待记录已提交，请勿重复提交。")
    if not isinstance(date, type(timezone.localdate())):
        raise DomainError("请填写有效的「接待日期」。", field="date")
    if date > timezone.localdate():
        raise DomainError("「接待日期」不能晚于今天。", field="date")
    if not members:
        raise DomainError("请选择参加接待的代表。", field="deputies")
    try:
        visitors = int(visitors)
    except (TypeError, ValueError):
        raise DomainError("「来访群众人数」须为整数。", field="visitors") from None
    if visitors < 0 or visitors > 10000:
        raise DomainError("「来访群众人数」须在 0 到 10000 之间。", field="visitors")
    values = [_matter_values(item, n) for n, item in enumerate(matters, start=1)]
    if turn is not None and turn.station_id != station.pk:
        raise DomainError("所选排班不属于该联络站。", field="turn")
    if turn is None:  # the reception held on a published turn of that day is linked to it
        turn = (RotaTurn.objects.filter(station=station, date=date, cancelled=False,
                                        duty__member__in=[m.pk for m in members]).order_by("half_day", "id").first())
    note = _text(note, "note", "备注", max_length=2000)
    try:
        with transaction.atomic():
            reception = Reception.objects.create(council_id=station.council_id, station=station, turn=turn,
                                                 date=date, visitors=visitors, note=note, token=token or None,
                                                 registered_by=actor, is_demo=is_demo)
    except IntegrityError:  # the same token committed by a concurrent request
        raise ConflictError("该接待记录已提交，请勿重复提交。") from None
    reception.deputies.set(members)
    audit.record(reception, "reception_registered", actor=actor, council_id=station.council_id,
                 new={"station": station.name, "date": date, "deputies": [m.name for m in members],
                      "visitors": visitors, "matters": len(values)})
    workflow = _workflow(station.council)
    for v in values:
        _new_matter(station, workflow, actor=actor, source=MatterSource.RECEPTION, reception=reception,
                    is_demo=is_demo, **v)
    return reception


def new_tracking_code() -> str:
    """A fresh tracking code (12 characters from an unambiguous alphabet drawn with :mod:`secrets`, the
    portal messages' approach)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


@transaction.atomic
def submit_portal_matter(station: Station, *, content: str, visitor_name: str = "",
                         visitor_contact: str = "") -> Matter:
    """A citizen leaves a matter for ``station`` on the public portal (no account): content required (≤
    :data:`CONTENT_MAX`), name and contact optional and never shown publicly. Returns the matter with its
    tracking code; the station's staff and the council's staff are told. The per-address rate limit is the
    caller's (:mod:`lvzhi.opinions.ratelimit`, as for portal messages)."""
    if not station.active:
        raise DomainError("该联络站已停用。", field="station")
    values = _matter_values({"content": content, "visitor_name": visitor_name, "visitor_contact": visitor_contact},
                            None)
    workflow = _workflow(station.council)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                matter = _new_matter(station, workflow, actor=None, source=MatterSource.PORTAL,
                                     tracking_code=new_tracking_code(), content=values["content"],
                                     visitor_name=values["visitor_name"], visitor_contact=values["visitor_contact"])
            break
        except IntegrityError:  # a tracking-code collision (60 random bits: practically never)
            continue
    else:
        raise DomainError("系统繁忙，请稍后重试。")
    audit.notify([*station.staff.all(), *people.staff_users(station.council_id)], "station_matter",
                 f"{station.name}收到一条网上留言，请分类处理。", url=_matter_url(matter))
    return matter


def matter_by_code(code: str) -> Matter:
    """The portal matter with tracking ``code`` (:class:`NotFoundError` otherwise)."""
    code = (code or "").strip().upper()
    matter = (Matter.objects.select_related("state", "station").filter(tracking_code=code).first()
              if code else None)
    if matter is None:
        raise NotFoundError("查询码不正确，未找到该留言。")
    return matter


# ---------------------------------------------------------------------------------------------- triage


def _lock(actor: Any, pk: Any, expected_version: int | None) -> Matter:
    """The matter locked, if ``actor`` may see it; the version is checked after the permission (by
    :func:`engine.authorize`), so a forbidden request is refused as such rather than as a conflict."""
    return engine.lock_case(Matter, pk, queryset=visible_matters(actor))


def _move(matter: Matter, act: str, actor: Any, expected_version: int | None, *, comment: str = "",
          changes: dict[str, Any] | None = None) -> None:
    engine.authorize(matter, act, actor, expected_version=expected_version)
    engine.move(matter, act, actor=actor, comment=comment, changes=changes)


def _tell_deputies(matter: Matter, text: str) -> None:
    members = Member.objects.filter(pk__in=matter.deputy_ids()).select_related("profile__user")
    audit.notify([m.profile.user for m in members if getattr(m, "profile", None) is not None], "station_matter",
                 text, url=_matter_url(matter))


@transaction.atomic
def answer_on_spot(actor: Any, pk: Any, *, answer: str, expected_version: int | None = None) -> Matter:
    """Triage: the matter was answered on the spot (当场答复); records the answer and counts it solved now."""
    matter = _lock(actor, pk, expected_version)
    answer = _text(answer, "answer", "答复内容", required=True, max_length=ANSWER_MAX)
    _move(matter, "answer", actor, expected_version, changes={
        "outcome": Outcome.ON_SPOT, "answer": answer, "solved_at": timezone.now()})
    return matter


@transaction.atomic
def refer(actor: Any, pk: Any, *, to: str, referred_to: str, expected_version: int | None = None) -> Matter:
    """Triage: pass the matter to the town or street (``to="town"``) or up to the standing committee
    (``to="committee"``), naming the body (``referred_to``)."""
    matter = _lock(actor, pk, expected_version)
    if to not in (Outcome.TOWN, Outcome.STANDING_COMMITTEE):
        raise DomainError("请选择转交镇（街道）或人大常委会。", field="to")
    referred_to = _text(referred_to, "referred_to", "转交单位", required=True, max_length=100)
    _move(matter, "refer", actor, expected_version, changes={"outcome": to, "referred_to": referred_to})
    return matter


@transaction.atomic
def resolve(actor: Any, pk: Any, *, result: str, solved: bool = True, expected_version: int | None = None) -> Matter:
    """Record the result of a referred matter (办理结果); ``solved`` counts it solved now."""
    matter = _lock(actor, pk, expected_version)
    result = _text(result, "result", "办理结果", required=True, max_length=ANSWER_MAX)
    _move(matter, "resolve", actor, expected_version,
          changes={"answer": result, "solved_at": timezone.now() if solved else None})
    return matter


@transaction.atomic
def decline(actor: Any, pk: Any, *, ground: str, reason: str, expected_version: int | None = None) -> Matter:
    """Triage: decline a matter in litigation, administrative review or arbitration (``ground``), with the
    ``reason`` told to the citizen [C1]. Both are required."""
    matter = _lock(actor, pk, expected_version)
    if ground not in DeclineGround.values:
        raise DomainError("请选择不予受理的情形（诉讼、行政复议或仲裁）。", field="ground")
    reason = _text(reason, "reason", "不予受理理由", required=True, max_length=ANSWER_MAX)
    _move(matter, "decline", actor, expected_version, comment=reason, changes={
        "outcome": Outcome.DECLINED, "decline_ground": ground, "decline_reason": reason})
    return matter


def current_session(council_id: int) -> Session | None:
    """The session a suggestion raised today belongs to: the council's latest session that has begun
    (by its window), else its latest."""
    today = timezone.localdate()
    qs = Session.objects.filter(term__council_id=council_id).order_by("-plenary_start", "-id")
    return qs.filter(window_start__lte=today).first() or qs.first()


@transaction.atomic
def convert_to_suggestion(actor: Any, pk: Any, *, deputy: Member, title: str,
                          expected_version: int | None = None) -> Matter:
    """Triage: turn the matter into a deputy suggestion (转为代表建议). A draft suggestion is created for
    ``deputy`` (one of the deputies responsible for the matter) through the suggestions' own writer, with
    the matter's content and where it came from; the matter links to it and it links back
    (``Suggestion.station_matters``). The deputy finds it among their drafts and submits it. The actor must
    be allowed to draft a suggestion for that deputy (the council's staff, or the deputy themselves).
    """
    from lvzhi.suggestions.actions import create_suggestion

    matter = _lock(actor, pk, expected_version)
    engine.authorize(matter, "convert", actor, expected_version=expected_version)
    if deputy is None or deputy.pk not in matter.deputy_ids():
        raise DomainError("请选择接待该事项的代表作为领衔代表。", field="deputy")
    title = _text(title, "title", "建议标题", required=True, max_length=200)
    session = current_session(matter.council_id)
    if session is None:
        raise DomainError("本机构尚无会次，不能提出代表建议。", field="session")
    origin = f"{matter.station.name}"
    if matter.reception_id:
        origin += f" {matter.reception.date:%Y-%m-%d} 进站接待"  # type: ignore[union-attr]
    content = f"{matter.content}\n\n（来源：{origin}群众反映）"
    suggestion = create_suggestion(actor, session=session, title=title, content=content, leading_deputy=deputy,
                                   is_demo=matter.is_demo)
    engine.move(matter, "convert", actor=actor, changes={"outcome": Outcome.SUGGESTION, "suggestion": suggestion,
                                                         "referred_to": deputy.name})
    _tell_deputies(matter, f"{matter.station.name}的群众意见已转为代表建议草稿《{title}》，请完善后提交。")
    return matter


@transaction.atomic
def record_feedback(actor: Any, pk: Any, *, to_citizen: str, to_deputy: str,
                    expected_version: int | None = None) -> Matter:
    """Record the feedback given to the citizen and to the deputy (both required) and close the matter."""
    matter = _lock(actor, pk, expected_version)
    to_citizen = _text(to_citizen, "to_citizen", "向群众反馈的情况", required=True, max_length=ANSWER_MAX)
    to_deputy = _text(to_deputy, "to_deputy", "向代表反馈的情况", required=True, max_length=ANSWER_MAX)
    _move(matter, "feedback", actor, expected_version, changes={
        "feedback_citizen": to_citizen, "feedback_deputy": to_deputy, "fed_back_at": timezone.now()})
    _tell_deputies(matter, f"{matter.station.name}的群众意见已办理并反馈：{to_deputy[:80]}")
    return matter


# ---------------------------------------------------------------------------------------------- themes, rating


@transaction.atomic
def create_theme(actor: Any, council: Council, *, title: str, start: date, end: date, description: str = "",
                 is_demo: bool = False) -> ThemeActivity:
    """A theme month (主题活动) of the council's stations, ``start``–``end`` inclusive (staff only)."""
    _staff_only(actor, council, "设立主题活动")
    title = _text(title, "title", "主题", required=True, max_length=100)
    if not start or not end:
        raise DomainError("请填写活动的开始和结束日期。", field="start" if not start else "end")
    if end < start:
        raise DomainError("「结束日期」不能早于「开始日期」。", field="end")
    theme = ThemeActivity.objects.create(council=council, title=title, start=start, end=end, is_demo=is_demo,
                                         description=_text(description, "description", "说明", max_length=2000),
                                         created_by=actor)
    audit.record(theme, "theme_created", actor=actor, council_id=council.pk,
                 new={"title": title, "start": start, "end": end})
    return theme


def stars_for(total: int, bands: Sequence[Sequence[int]]) -> int:
    """The stars a ``total`` earns by ``bands`` (``[[stars, minimum], …]``): the most stars whose minimum it
    reaches, 0 below every band."""
    reached = [int(stars) for stars, minimum in bands if total >= int(minimum)]
    return max(reached, default=0)


@transaction.atomic
def score_station(actor: Any, station: Station, *, year: int,
                  scores: Mapping[int, tuple[int, str]]) -> StationRating:
    """Score ``station`` for ``year`` on every active published criterion of its council: ``scores`` maps
    the criterion id to ``(points, evidence)``; points from 0 to the criterion's maximum, evidence (佐证材料)
    required. The total and the stars (by the policy's bands) are stored; scoring again replaces the year's
    scores. Council staff only. Raises :class:`DomainError` naming ``score.<criterion id>``."""
    council = station.council
    _staff_only(actor, council, "评定联络站星级")
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        raise DomainError("「年度」无效。", field="year")
    install_defaults(council)
    criteria = list(RatingCriterion.objects.filter(council=council, active=True))
    if not criteria:
        raise DomainError("尚未公布星级评定标准。", field="criteria")
    rows: list[tuple[RatingCriterion, int, str]] = []
    for c in criteria:
        if c.pk not in scores:
            raise DomainError(f"请为「{c.title}」评分。", field=f"score.{c.pk}")
        points, evidence = scores[c.pk]
        try:
            points = int(points)
        except (TypeError, ValueError):
            raise DomainError(f"「{c.title}」的得分须为整数。", field=f"score.{c.pk}") from None
        if not 0 <= points <= c.max_points:
            raise DomainError(f"「{c.title}」的得分须在 0 到 {c.max_points} 之间。", field=f"score.{c.pk}")
        evidence = _text(evidence, f"evidence.{c.pk}", f"{c.title}的佐证材料", required=True, max_length=2000)
        rows.append((c, points, evidence))
    total = sum(p for _, p, _ in rows)
    stars = stars_for(total, policy_of(council).star_bands)
    rating, _created = StationRating.objects.update_or_create(
        station=station, year=year, defaults={"total": total, "stars": stars, "scored_by": actor})
    rating.scores.all().delete()
    RatingScore.objects.bulk_create([RatingScore(rating=rating, criterion=c, points=p, evidence=e)
                                     for c, p, e in rows])
    audit.record(station, "station_rated", actor=actor, council_id=council.pk,
                 new={"year": year, "total": total, "stars": stars})
    return rating
