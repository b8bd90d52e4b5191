"""Who may see which reports and messages (one function per object kind; missing and forbidden both answer
"not found").

Reports (社情民意信息):

- staff, administrators and leaders of the council: all of its reports except others' unsent drafts;
- a member: the reports they wrote or entered, as member, informant or for their organisation;
- a handling unit's clerk or leader: the reports forwarded to their unit.

Messages (群众意见):

- staff, administrators and leaders of the council: all of its messages;
- a handling unit's clerk or leader: messages routed to their unit, and those their unit answered;
- the citizen: one message by its tracking code (:func:`message_by_code`);
- the public: answered messages that staff published (:func:`public_messages`), shown masked.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.core.errors import NotFoundError
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role
from lvzhi.opinions.choices import ReplyStatus
from lvzhi.opinions.models import CodeHolder, Message, Report, ReportForward


def visible_reports(user: Any) -> QuerySet[Report]:
    """The reports ``user`` may see (a queryset; narrow it, never widen it)."""
    profile = profile_of(user)
    qs = Report.objects.all()
    if profile is None:
        return qs.none()
    if profile.role == Role.ADMIN and profile.council_id is None:
        return qs
    if profile.role in (Role.STAFF, Role.ADMIN, Role.LEADER) and profile.council_id is not None:
        return qs.filter(council_id=profile.council_id).filter(Q(state__is_draft=False) | Q(created_by_id=user.pk))
    if profile.role in (Role.UNIT_CLERK, Role.UNIT_LEADER) and profile.unit_id:
        return qs.filter(pk__in=ReportForward.objects.filter(unit_id=profile.unit_id).values("report_id"))
    if profile.role == Role.MEMBER:
        own = Q(created_by_id=user.pk)
        if profile.member_id:
            own |= Q(member_id=profile.member_id) | Q(informant__member_id=profile.member_id)
        return qs.filter(own)
    return qs.none()


def access_report(user: Any, pk: Any) -> Report:
    """Report ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise."""
    try:
        return visible_reports(user).select_related(
            "state", "workflow", "council", "member", "organisation", "informant", "issue", "source_proposal"
        ).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def may_manage(user: Any, council_id: int) -> bool:
    """True for the council's staff and administrators (intake, routing, bulletin, statistics)."""
    from lvzhi.members.access import is_council_staff

    return is_council_staff(user, council_id)


def visible_messages(user: Any) -> QuerySet[Message]:
    """The messages ``user`` may see in the staff pages and the authenticated API."""
    profile = profile_of(user)
    qs = Message.objects.all()
    if profile is None:
        return qs.none()
    if profile.role == Role.ADMIN and profile.council_id is None:
        return qs
    if profile.role in (Role.STAFF, Role.ADMIN, Role.LEADER) and profile.council_id is not None:
        return qs.filter(council_id=profile.council_id)
    if profile.role in (Role.UNIT_CLERK, Role.UNIT_LEADER) and profile.unit_id:
        return qs.filter(Q(unit_id=profile.unit_id) | Q(reply_unit_id=profile.unit_id))
    return qs.none()


def access_message(user: Any, pk: Any) -> Message:
    """Message ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise."""
    try:
        return visible_messages(user).select_related("state", "workflow", "council", "unit", "reply_unit",
                                                     "member").get(pk=pk)
    except (Message.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def message_by_code(tracking_code: str) -> Message:
    """The message with this tracking code (case-insensitive, surrounding spaces ignored), for the citizen;
    :class:`NotFoundError` for an unknown or empty code."""
    code = CodeHolder(tracking_code).tracking_code
    if not code:
        raise NotFoundError("未找到该查询码对应的留言。")
    message = Message.objects.select_related("state", "reply_unit", "unit").filter(tracking_code=code).first()
    if message is None:
        raise NotFoundError("未找到该查询码对应的留言。")
    return message


def public_messages(council_id: int | None = None) -> QuerySet[Message]:
    """Answered messages that staff published on the portal (display them only through the masking
    helpers of ``lvzhi.opinions.queries``)."""
    qs = Message.objects.filter(published=True, reply_status=ReplyStatus.SENT)
    if council_id is not None:
        qs = qs.filter(council_id=council_id)
    return qs
