"""Writers of the organisation: councils, terms, sessions, organisations, members, units and accounts.

Each writes an audit entry. Creating a council installs its default workflows and reply-grade scale.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_changed, validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from lvzhi.core import audit
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.models import TimeUnit
from lvzhi.members.access import profile_of
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.defaults import install_registered_defaults
from lvzhi.members.models import (
    Council,
    HandlingUnit,
    Member,
    Organisation,
    Profile,
    Session,
    Term,
    split_categories,
)


@transaction.atomic
def create_council(actor: Any, *, name: str, kind: str = CouncilKind.CPPCC, short_name: str = "",
                   grade_scale: str = "abcd", parent: Council | None = None) -> Council:
    """Create a council with its default workflows and reply-grade scale (``abcd`` or ``abc``), under
    ``parent`` when given (e.g. a county people's congress under the city's). Raises :class:`DomainError`
    for a blank or taken name (``name``) or an unknown kind (``kind``)."""
    from lvzhi.workflow.defaults import install_grades

    if not name.strip():
        raise DomainError("请填写机构名称。", field="name")
    if kind not in CouncilKind.values:
        raise DomainError("机构类型无效。", field="kind")
    if Council.objects.filter(name=name.strip()).exists():
        raise DomainError(f"机构「{name}」已存在。", field="name")
    council = Council.objects.create(name=name.strip(), kind=kind, short_name=short_name.strip(), parent=parent)
    install_grades(council, grade_scale)
    ensure_defaults(council)
    audit.record(council, "council_created", actor=actor, council_id=council.pk,
                 new={"name": council.name, "kind": kind, "parent": parent})
    return council


def ensure_defaults(council: Council) -> None:
    """Install the default grade scale and workflows where a council lacks them (idempotent): the council's
    general reply-grade scale, then whatever apps registered for the council's kind
    (:func:`lvzhi.members.defaults.register_defaults`): the proposal workflow for a CPPCC only, the report and
    message workflows for every kind, the case types of the core by their kinds (e.g. a people's congress's
    suggestion workflow)."""
    from lvzhi.workflow.defaults import install_grades

    install_grades(council)
    install_registered_defaults(council)


@transaction.atomic
def create_term(actor: Any, council: Council, *, number: int, start_date: date,
                end_date: date | None = None) -> Term:
    if Term.objects.filter(council=council, number=number).exists():
        raise DomainError(f"第{number}届已存在。", field="number")
    term = Term.objects.create(council=council, number=number, start_date=start_date, end_date=end_date)
    audit.record(term, "term_created", actor=actor, council_id=council.pk, new={"number": number})
    return term


@transaction.atomic
def create_session(actor: Any, term: Term, *, number: int, window_start: date, plenary_start: date,
                   plenary_end: date) -> Session:
    """Create a session; its proposal window must start on or before the plenary, which must not end
    before it starts."""
    if not window_start <= plenary_start <= plenary_end:
        raise DomainError("日期须满足：征集开始 ≤ 会议开始 ≤ 会议结束。", field="plenary_start")
    if Session.objects.filter(term=term, number=number).exists():
        raise DomainError(f"第{number}次会议已存在。", field="number")
    session = Session.objects.create(term=term, number=number, window_start=window_start,
                                     plenary_start=plenary_start, plenary_end=plenary_end)
    audit.record(session, "session_created", actor=actor, council_id=term.council_id, new={"number": number})
    return session


@transaction.atomic
def get_or_create_organisation(actor: Any, council: Council, kind: str, name: str) -> Organisation:
    if kind not in OrganisationKind.values:
        raise DomainError(f"组织类型「{kind}」无效。", field="kind")
    name = name.strip()
    if not name:
        raise DomainError("请填写组织名称。", field="name")
    org, created = Organisation.objects.get_or_create(council=council, kind=kind, name=name)
    if created:
        audit.record(org, "organisation_created", actor=actor, council_id=council.pk,
                     new={"kind": kind, "name": name})
    return org


@transaction.atomic
def save_member(actor: Any, council: Council, term: Term, *, name: str, member: Member | None = None,
                **fields: Any) -> Member:
    """Create a member (委员) or deputy (代表), or update ``member``, with ``fields`` (gender, sector, party_group,
    special_committee, liaison_group, delegation, workplace, phone, active, and ``term`` on update). A
    delegation (代表团) belongs to a people's congress only. Organisation fields
    take :class:`Organisation` instances of the matching kind. ``gender`` must be 男/女 or blank and ``phone``
    a phone number (:func:`normalise_phone`). Raises :class:`DomainError` naming the field."""
    name = name.strip()
    if not name:
        raise DomainError("请填写姓名。", field="name")
    if len(name) > 50:
        raise DomainError("姓名不能超过 50 个字。", field="name")
    if term.council_id != council.pk:
        raise DomainError("所选届次不属于本机构。", field="term")
    if "gender" in fields:
        fields["gender"] = normalise_gender(fields["gender"])
    if "phone" in fields:
        fields["phone"] = normalise_phone(fields["phone"])
    if len(fields.get("workplace") or "") > 200:
        raise DomainError("工作单位及职务不能超过 200 个字。", field="workplace")
    kinds = {"sector": OrganisationKind.SECTOR, "party_group": OrganisationKind.PARTY_GROUP,
             "special_committee": OrganisationKind.SPECIAL_COMMITTEE,
             "liaison_group": OrganisationKind.LIAISON_GROUP, "delegation": OrganisationKind.DELEGATION}
    for field, kind in kinds.items():
        org = fields.get(field)
        if org is not None and (org.kind != kind or org.council_id != council.pk):
            raise DomainError("所选组织类型不符。", field=field)
    if fields.get("delegation") is not None and council.kind != CouncilKind.NPC:
        raise DomainError("只有人大代表属于代表团。", field="delegation")
    if member is None:
        member = Member.objects.create(council=council, term=term, name=name, **fields)
        audit.record(member, "member_created", actor=actor, council_id=council.pk, new={"name": name})
        return member
    wanted = {"name": name, "term": term, **fields}
    old = {k: getattr(member, k) for k, v in wanted.items() if getattr(member, k) != v}
    if not old:
        return member
    for k in old:
        setattr(member, k, wanted[k])
    member.save(update_fields=list(old))
    audit.record(member, "member_updated", actor=actor, council_id=council.pk, old=old,
                 new={k: getattr(member, k) for k in old})
    return member


#: what a 机关代字 may not contain: the year's brackets, digits (year and serial are added) and 号 / 第
_DOC_PREFIX_BAD = re.compile(r"[〔〕\[\]［］()（）0-9０-９号第\s]")


def _clean_doc_prefix(prefix: str) -> str:
    prefix = (prefix or "").strip()
    if len(prefix) > 20:
        raise DomainError("「发文机关代字」不能超过 20 个字。", field="doc_prefix")
    if _DOC_PREFIX_BAD.search(prefix):
        raise DomainError("「发文机关代字」只填机关代字，如「江府建」；年份〔2026〕和序号由系统在签发时编排。",
                          field="doc_prefix")
    return prefix


@transaction.atomic
def save_unit(actor: Any, council: Council, *, name: str, short_name: str = "", unit: HandlingUnit | None = None,
              active: bool = True, categories: str | None = None, doc_prefix: str | None = None,
              doc_signer: bool | None = None) -> HandlingUnit:
    """Create a handling unit, or update ``unit``. ``categories`` (the message categories the unit usually
    handles, 、-separated), ``doc_prefix`` (机关代字 of its reply letters' document numbers, e.g. ``江府建``) and
    ``doc_signer`` (print the 签发人 on its letters) are left as they are when ``None``. Raises
    :class:`DomainError` for a blank or taken name, or a 机关代字 holding a year, digits or brackets
    (field ``doc_prefix``)."""
    name = name.strip()
    if not name:
        raise DomainError("请填写单位名称。", field="name")
    clash = HandlingUnit.objects.filter(council=council, name=name)
    if unit is not None:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise DomainError(f"承办单位「{name}」已存在。", field="name")
    cats = "、".join(split_categories(categories)) if categories is not None else None
    if len(cats or "") > 300:
        raise DomainError("「常办分类」不能超过 300 个字。", field="categories")
    prefix = _clean_doc_prefix(doc_prefix) if doc_prefix is not None else None
    if unit is None:
        unit = HandlingUnit.objects.create(council=council, name=name, short_name=short_name, active=active,
                                           categories=cats or "", doc_prefix=prefix or "",
                                           doc_signer=bool(doc_signer))
        audit.record(unit, "unit_created", actor=actor, council_id=council.pk,
                     new={"name": name, "categories": cats or "", "doc_prefix": unit.doc_prefix,
                          "doc_signer": unit.doc_signer})
        return unit
    old = {"name": unit.name, "short_name": unit.short_name, "active": unit.active, "categories": unit.categories,
           "doc_prefix": unit.doc_prefix, "doc_signer": unit.doc_signer}
    unit.name, unit.short_name, unit.active = name, short_name, active
    if cats is not None:
        unit.categories = cats
    if prefix is not None:
        unit.doc_prefix = prefix
    if doc_signer is not None:
        unit.doc_signer = doc_signer
    unit.save()
    audit.record(unit, "unit_updated", actor=actor, council_id=council.pk, old=old,
                 new={"name": name, "short_name": short_name, "active": active, "categories": unit.categories,
                      "doc_prefix": unit.doc_prefix, "doc_signer": unit.doc_signer})
    return unit


def _check_capacity(role: str, council: Council | None, member: Member | None,
                    unit: HandlingUnit | None) -> None:
    """Refuse a capacity whose role is unknown or lacks what it acts for, or whose member or unit belongs to
    another council. Raises :class:`DomainError` naming the field."""
    if role not in Role.values:
        raise DomainError("角色无效。", field="role")
    if role == Role.MEMBER and member is None:
        raise DomainError("委员（代表）账号须关联委员（代表）。", field="member")
    if role in (Role.UNIT_CLERK, Role.UNIT_LEADER) and unit is None:
        raise DomainError("承办单位账号须选择承办单位。", field="unit")
    if role != Role.ADMIN and council is None:
        raise DomainError("请选择机构。", field="council")
    if member is not None and (council is None or member.council_id != council.pk):
        raise DomainError("所选委员（代表）不属于本机构。", field="member")
    if unit is not None and (council is None or unit.council_id != council.pk):
        raise DomainError("所选承办单位不属于本机构。", field="unit")


@transaction.atomic
def create_account(actor: Any, *, username: str, password: str, role: str, council: Council | None,
                   display_name: str = "", member: Member | None = None, unit: HandlingUnit | None = None,
                   check_password: bool = True) -> Any:
    """Create a login with its first profile, which becomes its primary capacity. Members need ``member``;
    unit roles need ``unit`` (of ``council``); every role but an administrator needs ``council``. Add
    further capacities with :func:`add_capacity`.

    The password must pass the configured validators (:mod:`lvzhi.core.passwords`: length ≥ 10, three of four
    character classes, not the user name, not common, not all digits) unless
    ``check_password`` is False (demo accounts). Raises :class:`DomainError` naming the field.
    """
    user_model = get_user_model()
    _check_capacity(role, council, member, unit)
    if not username.strip():
        raise DomainError("请填写用户名。", field="username")
    if user_model.objects.filter(username=username).exists():
        raise DomainError(f"用户名「{username}」已被使用。", field="username")
    if member is not None and Profile.objects.filter(member=member).exists():
        raise DomainError(f"「{member.name}」已有账号。", field="member")
    if check_password:
        try:
            validate_password(password, user_model(username=username))
        except ValidationError as exc:
            raise DomainError("；".join(exc.messages), field="password") from None
    user = user_model.objects.create_user(username=username, password=password,
                                          is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
    password_changed(password, user)  # create_user hashes without telling the validators (password history)
    Profile.objects.create(user=user, primary=True, role=role, council=council, member=member, unit=unit,
                           display_name=display_name or (member.name if member else username))
    audit.record(user, "account_created", actor=actor, council_id=council.pk if council else None,
                 new={"username": username, "role": role})
    return user


@transaction.atomic
def add_capacity(actor: Any, user: Any, *, role: str, council: Council | None, member: Member | None = None,
                 unit: HandlingUnit | None = None, display_name: str = "") -> Profile:
    """Give an existing account a further capacity (profile), e.g. make a deputy also the leader of a unit,
    or a CPPCC member of one council also a deputy of another. The account's primary capacity stays; it
    switches to the new one with the role switcher (:func:`switch_profile`).

    Rules as :func:`create_account`; besides, an account holds a capacity (role, council, member, unit) once
    and a member has one account. An administrator role is not added this way (it makes the account a
    Django superuser: create a separate administrator account). Raises :class:`DomainError` naming the field.
    """
    _check_capacity(role, council, member, unit)
    if role == Role.ADMIN:
        raise DomainError("系统管理员须使用单独的账号。", field="role")
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    mine = Profile.objects.filter(user=user)
    if mine.filter(role=role, council=council, member=member, unit=unit).exists():
        raise DomainError("该账号已有此身份。", field="role")
    if member is not None and Profile.objects.filter(member=member).exists():
        raise DomainError(f"「{member.name}」已有账号。", field="member")
    primary = mine.order_by("-primary", "id").first()
    name = display_name or (member.name if member else "") or (primary.display_name if primary else "")
    profile = Profile.objects.create(user=user, primary=primary is None, role=role, council=council,
                                     member=member, unit=unit, display_name=name or user.get_username())
    audit.record(user, "capacity_added", actor=actor, council_id=council.pk if council else None,
                 new={"profile": profile.pk, "role": role, "council": council, "member": member, "unit": unit})
    return profile


@transaction.atomic
def switch_profile(actor: Any, profile_id: Any) -> Profile:
    """Check that ``actor`` may act in profile ``profile_id`` (one of its own) and record the switch
    (``profile_switched``, under the new capacity's council). The caller keeps the choice in the session
    (:data:`lvzhi.members.access.SESSION_KEY`). Raises :class:`NotFoundError` for a missing id or another
    account's profile alike."""
    try:
        pid = int(profile_id)
    except (TypeError, ValueError):
        raise NotFoundError() from None
    if not getattr(actor, "is_active", False):
        raise NotFoundError()
    profile = Profile.objects.filter(pk=pid, user_id=actor.pk).select_related("council", "unit").first()
    if profile is None:
        raise NotFoundError()
    audit.record(actor, "profile_switched", actor=actor, council_id=profile.council_id,
                 new={"profile": profile.pk, "role": profile.role})
    return profile


# ---------------------------------------------------------------------------------------------- validation

#: A mainland mobile number (11 digits, 13x–19x, optionally after +86/0086) or a landline (7–8 digits, optional
#: area code 0xx/0xxx and extension).
_MOBILE_RE = re.compile(r"^(?:\+86|0086|86)?1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^(?:\+86-?)?(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:(?:-|转)\d{1,6})?$")
GENDERS = ("男", "女")


def normalise_phone(value: str) -> str:
    """``value`` without spaces and brackets (``"(0750) 312-3456"`` → ``"0750312-3456"``), or ``""`` for blank.

    Accepts a mainland mobile number or a landline with optional area code and extension. Raises
    :class:`DomainError` (field ``phone``) for anything else.
    """
    raw = str(value or "").strip()
    if not raw:
        return ""
    compact = re.sub(r"[\s()（）]", "", raw)
    if _MOBILE_RE.match(compact.replace("-", "")) or _LANDLINE_RE.match(compact):
        return compact
    raise DomainError(f"联系电话「{raw}」不是有效的电话号码。", field="phone")


def normalise_gender(value: str) -> str:
    """``男``/``女`` (also accepts 男性/女性), or ``""`` for blank. Raises :class:`DomainError` (``gender``)."""
    v = (value or "").strip()
    v = {"男性": "男", "女性": "女"}.get(v, v)
    if v and v not in GENDERS:
        raise DomainError(f"性别「{value}」无效，应填写“男”或“女”。", field="gender")
    return v


def _positive(value: Any, field: str, label: str, *, allow_zero: bool = False) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{label}须为整数。", field=field) from None
    if number < (0 if allow_zero else 1) or number > 999:
        raise DomainError(f"{label}须在 {0 if allow_zero else 1}–999 之间。", field=field)
    return number


def check_case_number_pattern(pattern: str) -> str:
    """Validate a case-number pattern such as ``{term}-{session}-{seq:03d}``: only the fields ``term``,
    ``session``, ``year`` and ``seq`` (an integer), and ``seq`` must appear. Returns the stripped pattern;
    raises :class:`DomainError` (field ``case_number_pattern``)."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise DomainError("请填写案号格式。", field="case_number_pattern")
    if "{seq" not in pattern:
        raise DomainError("案号格式须包含流水号 {seq}。", field="case_number_pattern")
    try:
        pattern.format(term=14, session=3, year=2025, seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise DomainError(f"案号格式无效（{exc}）；可用字段：{{term}}、{{session}}、{{year}}、{{seq}}。",
                          field="case_number_pattern") from None
    return pattern


# ---------------------------------------------------------------------------------------------- updates


POLICY_FIELDS = ("name", "short_name", "kind", "parent", "case_number_pattern", "sendback_limit", "sendback_limit_unit",
                 "opinion_limit", "opinion_limit_unit", "cosign_days", "at_risk_working_days")


@transaction.atomic
def update_council_policy(actor: Any, council: Council, **fields: Any) -> Council:
    """Change a council's name and policy. ``fields`` may hold any of :data:`POLICY_FIELDS`:

    ``case_number_pattern`` (see :func:`check_case_number_pattern`); ``sendback_limit`` and
    ``opinion_limit`` (1–999) with their units (``working_days``/``calendar_days``/``months``);
    ``cosign_days`` (calendar days, 1–999); ``at_risk_working_days`` (working days, 0–999); ``parent`` (a
    council or ``None``; not the council itself nor one below it).
    Only changed fields are saved, with one ``council_updated`` audit entry (none when nothing changes).
    Raises :class:`DomainError` naming the field.
    """
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}。")
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "name":
            value = (value or "").strip()
            if not value:
                raise DomainError("请填写机构名称。", field="name")
            if Council.objects.filter(name=value).exclude(pk=council.pk).exists():
                raise DomainError(f"机构「{value}」已存在。", field="name")
        elif key == "short_name":
            value = (value or "").strip()
        elif key == "kind":
            if value not in CouncilKind.values:
                raise DomainError("机构类型无效。", field="kind")
        elif key == "parent":
            if value is not None and (value.pk == council.pk or council in value.ancestors()):
                raise DomainError("上级机构不能是本机构或其下级机构。", field="parent")
        elif key == "case_number_pattern":
            value = check_case_number_pattern(value)
        elif key in ("sendback_limit_unit", "opinion_limit_unit"):
            if value not in TimeUnit.values:
                raise DomainError("期限单位无效。", field=key)
        else:
            label = str(getattr(Council._meta.get_field(key), "verbose_name", key))
            value = _positive(value, key, label, allow_zero=key == "at_risk_working_days")
        clean[key] = value
    council = Council.objects.select_for_update().get(pk=council.pk)
    changed = {k: v for k, v in clean.items() if getattr(council, k) != v}
    if not changed:
        return council
    old = {k: getattr(council, k) for k in changed}
    for k, v in changed.items():
        setattr(council, k, v)
    council.save(update_fields=list(changed))
    audit.record(council, "council_updated", actor=actor, council_id=council.pk, old=old, new=changed)
    return council


@transaction.atomic
def update_term(actor: Any, term: Term, *, number: int, start_date: date, end_date: date | None = None) -> Term:
    """Change a term's number and dates (end on or after start). Raises :class:`DomainError`."""
    if end_date is not None and end_date < start_date:
        raise DomainError("结束日期不能早于开始日期。", field="end_date")
    if Term.objects.filter(council_id=term.council_id, number=number).exclude(pk=term.pk).exists():
        raise DomainError(f"第{number}届已存在。", field="number")
    new = {"number": number, "start_date": start_date, "end_date": end_date}
    old = {k: getattr(term, k) for k in new}
    if old == new:
        return term
    for k, v in new.items():
        setattr(term, k, v)
    term.save(update_fields=list(new))
    audit.record(term, "term_updated", actor=actor, council_id=term.council_id, old=old, new=new)
    return term


@transaction.atomic
def update_session(actor: Any, session: Session, *, number: int, window_start: date, plenary_start: date,
                   plenary_end: date) -> Session:
    """Change a session's number and dates (征集开始 ≤ 会议开始 ≤ 会议结束). Proposals already submitted keep
    their plenary/ordinary flag. Raises :class:`DomainError` naming the field."""
    if not window_start <= plenary_start <= plenary_end:
        raise DomainError("日期须满足：征集开始 ≤ 会议开始 ≤ 会议结束。", field="plenary_start")
    if Session.objects.filter(term_id=session.term_id, number=number).exclude(pk=session.pk).exists():
        raise DomainError(f"第{number}次会议已存在。", field="number")
    new = {"number": number, "window_start": window_start, "plenary_start": plenary_start,
           "plenary_end": plenary_end}
    old = {k: getattr(session, k) for k in new}
    if old == new:
        return session
    for k, v in new.items():
        setattr(session, k, v)
    session.save(update_fields=list(new))
    audit.record(session, "session_updated", actor=actor, council_id=session.term.council_id, old=old, new=new)
    return session


@transaction.atomic
def rename_organisation(actor: Any, organisation: Organisation, *, name: str) -> Organisation:
    """Rename a sector, party group or other organisation (unique per council and kind)."""
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写组织名称。", field="name")
    if name == organisation.name:
        return organisation
    if Organisation.objects.filter(council_id=organisation.council_id, kind=organisation.kind,
                                   name=name).exclude(pk=organisation.pk).exists():
        raise DomainError(f"「{name}」已存在。", field="name")
    old = {"name": organisation.name}
    organisation.name = name
    organisation.save(update_fields=["name"])
    audit.record(organisation, "organisation_updated", actor=actor, council_id=organisation.council_id,
                 old=old, new={"name": name})
    return organisation


@transaction.atomic
def set_unit_active(actor: Any, unit: HandlingUnit, active: bool) -> HandlingUnit:
    """Activate or deactivate a handling unit (a deactivated unit gets no new assignments; its cases and
    accounts stay). No-op when unchanged."""
    if unit.active == active:
        return unit
    unit.active = active
    unit.save(update_fields=["active"])
    audit.record(unit, "unit_activated" if active else "unit_deactivated", actor=actor,
                 council_id=unit.council_id, old={"active": not active}, new={"active": active})
    return unit


@transaction.atomic
def set_account_active(actor: Any, user: Any, active: bool) -> Any:
    """Enable or disable a login (a disabled account cannot sign in; its records stay). An account cannot
    disable itself. No-op when unchanged. Raises :class:`DomainError` (field ``active``)."""
    if not active and getattr(actor, "pk", None) == user.pk:
        raise DomainError("不能停用自己的账号。", field="active")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    council_id = getattr(profile_of(user), "council_id", None)
    audit.record(user, "account_activated" if active else "account_deactivated", actor=actor,
                 council_id=council_id, old={"is_active": not active}, new={"is_active": active})
    return user


@transaction.atomic
def reset_password(actor: Any, user: Any, password: str) -> Any:
    """Set a new password for ``user`` (validated like :func:`create_account`). The audit entry records that
    it was reset, never the password. Raises :class:`DomainError` (field ``password``)."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save(update_fields=["password"])
    council_id = getattr(profile_of(user), "council_id", None)
    audit.record(user, "password_reset", actor=actor, council_id=council_id)
    return user
