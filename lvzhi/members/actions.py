"""Writers of the organisation: councils, terms, sessions, organisations, members, units and accounts.

Each writes an audit entry. Creating a council installs its default workflows and reply-grade scale.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from lvzhi.core import audit
from lvzhi.core.errors import DomainError
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Profile, Session, Term


@transaction.atomic
def create_council(actor: Any, *, name: str, kind: str = CouncilKind.CPPCC, short_name: str = "",
                   grade_scale: str = "abcd") -> Council:
    """Create a council with its default proposal workflow and reply-grade scale (``abcd`` or ``abc``)."""
    from lvzhi.workflow.defaults import install_grades, install_proposal_workflow

    if not name.strip():
        raise DomainError("请填写机构名称。", field="name")
    if Council.objects.filter(name=name.strip()).exists():
        raise DomainError(f"机构「{name}」已存在。", field="name")
    council = Council.objects.create(name=name.strip(), kind=kind, short_name=short_name.strip())
    install_proposal_workflow(council)
    install_grades(council, grade_scale)
    audit.record(council, "council_created", actor=actor, council_id=council.pk, new={"name": council.name})
    return council


def ensure_defaults(council: Council) -> None:
    """Install the default workflow and grade scale where a council lacks them (idempotent)."""
    from lvzhi.workflow.defaults import install_grades, install_proposal_workflow

    install_proposal_workflow(council)
    install_grades(council)


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
    """Create a member, or update ``member``, with ``fields`` (gender, sector, party_group,
    special_committee, liaison_group, workplace, phone, active). Organisation fields take
    :class:`Organisation` instances of the matching kind."""
    name = name.strip()
    if not name:
        raise DomainError("请填写姓名。", field="name")
    kinds = {"sector": OrganisationKind.SECTOR, "party_group": OrganisationKind.PARTY_GROUP,
             "special_committee": OrganisationKind.SPECIAL_COMMITTEE,
             "liaison_group": OrganisationKind.LIAISON_GROUP}
    for field, kind in kinds.items():
        org = fields.get(field)
        if org is not None and (org.kind != kind or org.council_id != council.pk):
            raise DomainError("所选组织类型不符。", field=field)
    if member is None:
        member = Member.objects.create(council=council, term=term, name=name, **fields)
        audit.record(member, "member_created", actor=actor, council_id=council.pk, new={"name": name})
        return member
    old = {k: getattr(member, k) for k in ["name", *fields]}
    member.name = name
    for k, v in fields.items():
        setattr(member, k, v)
    member.save()
    audit.record(member, "member_updated", actor=actor, council_id=council.pk, old=old,
                 new={k: getattr(member, k) for k in old})
    return member


@transaction.atomic
def save_unit(actor: Any, council: Council, *, name: str, short_name: str = "", unit: HandlingUnit | None = None,
              active: bool = True) -> HandlingUnit:
    name = name.strip()
    if not name:
        raise DomainError("请填写单位名称。", field="name")
    clash = HandlingUnit.objects.filter(council=council, name=name)
    if unit is not None:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise DomainError(f"承办单位「{name}」已存在。", field="name")
    if unit is None:
        unit = HandlingUnit.objects.create(council=council, name=name, short_name=short_name, active=active)
        audit.record(unit, "unit_created", actor=actor, council_id=council.pk, new={"name": name})
        return unit
    old = {"name": unit.name, "short_name": unit.short_name, "active": unit.active}
    unit.name, unit.short_name, unit.active = name, short_name, active
    unit.save()
    audit.record(unit, "unit_updated", actor=actor, council_id=council.pk, old=old,
                 new={"name": name, "short_name": short_name, "active": active})
    return unit


@transaction.atomic
def create_account(actor: Any, *, username: str, password: str, role: str, council: Council | None,
                   display_name: str = "", member: Member | None = None, unit: HandlingUnit | None = None,
                   check_password: bool = True) -> Any:
    """Create a login with its profile. Members need ``member``; unit roles need ``unit``.

    The password must pass the configured validators (length ≥ 8, not common, not all digits) unless
    ``check_password`` is False (demo accounts). Raises :class:`DomainError` naming the field.
    """
    user_model = get_user_model()
    if role not in Role.values:
        raise DomainError("角色无效。", field="role")
    if not username.strip():
        raise DomainError("请填写用户名。", field="username")
    if user_model.objects.filter(username=username).exists():
        raise DomainError(f"用户名「{username}」已被使用。", field="username")
    if role == Role.MEMBER and member is None:
        raise DomainError("委员账号须关联委员。", field="member")
    if role in (Role.UNIT_CLERK, Role.UNIT_LEADER) and unit is None:
        raise DomainError("承办单位账号须选择承办单位。", field="unit")
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise DomainError("；".join(exc.messages), field="password") from None
    user = user_model.objects.create_user(username=username, password=password,
                                          is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
    Profile.objects.create(user=user, role=role, council=council, member=member, unit=unit,
                           display_name=display_name or (member.name if member else username))
    audit.record(user, "account_created", actor=actor, council_id=council.pk if council else None,
                 new={"username": username, "role": role})
    return user
