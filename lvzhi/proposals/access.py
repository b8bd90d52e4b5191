"""Who may see which proposals (one function per object kind, after Zulip's ``access_message``).

- staff, administrators and leaders of a council: all of that council's proposals but others' drafts (flag 草稿);
- a member: their own (as first proposer or as the account that entered it), those they were invited to
  co-sign, and the council's proposals in a public state (flag 公开: filed and after by default);
- a handling unit's clerk or leader: only proposals assigned to their unit (not withdrawn assignments);
- anyone else: nothing. Missing and forbidden proposals answer the same "not found".

**The timeline** (办理过程) of a proposal (:func:`visible_timeline`): everyone with a part in the case — its
proposers and co-signers, the council's staff and leaders, the assigned units — reads all of it. A member who
reads another member's proposal because the council published it sees only its public milestones: each change
of state with its date (提交, 立案, 交办, 答复, 办结 …), without who did it, their comments, the edits' old and new
values, drafts returned inside a unit, send-backs, opinions or follow-ups. What the council publishes about a
case is the case and its sent replies; the working record stays with those who work on it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.core import audit
from lvzhi.core.errors import NotFoundError
from lvzhi.core.models import AuditEntry
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role
from lvzhi.proposals.choices import AssignmentStatus
from lvzhi.proposals.models import Assignment, CoSigner, Proposal, Reply


def visible_proposals(user: Any) -> QuerySet[Proposal]:
    """The proposals ``user`` may see (a queryset; combine it with filters, never widen it)."""
    profile = profile_of(user)
    qs = Proposal.objects.all()
    if profile is None:
        return qs.none()
    if profile.role == Role.ADMIN and profile.council_id is None:
        return qs
    if profile.role in (Role.STAFF, Role.ADMIN, Role.LEADER) and profile.council_id is not None:
        # A member's draft stays private until submitted (unless staff entered it themselves).
        return qs.filter(council_id=profile.council_id).filter(Q(state__is_draft=False) | Q(created_by_id=user.pk))
    if profile.role in (Role.UNIT_CLERK, Role.UNIT_LEADER) and profile.unit_id:
        assigned = Assignment.objects.filter(unit_id=profile.unit_id).exclude(
            status=AssignmentStatus.WITHDRAWN).values("proposal_id")
        return qs.filter(pk__in=assigned)
    if profile.role == Role.MEMBER:
        own = Q(created_by_id=user.pk)
        if profile.member_id:
            own |= Q(first_proposer_id=profile.member_id)
            own |= Q(pk__in=CoSigner.objects.filter(member_id=profile.member_id).values("proposal_id"))
        published = Q(council_id=profile.council_id or 0, state__is_public=True)
        return qs.filter(own | published)
    return qs.none()


def access_proposal(user: Any, pk: Any) -> Proposal:
    """Proposal ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise (missing or forbidden)."""
    try:
        return visible_proposals(user).select_related(
            "state", "workflow", "session__term__council", "category", "first_proposer", "organisation"
        ).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def visible_assignments(user: Any) -> QuerySet[Assignment]:
    return Assignment.objects.filter(proposal__in=visible_proposals(user))


def access_assignment(user: Any, pk: Any) -> Assignment:
    try:
        return visible_assignments(user).select_related("proposal", "unit").get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_reply(user: Any, pk: Any) -> Reply:
    try:
        return Reply.objects.filter(assignment__proposal__in=visible_proposals(user)).select_related(
            "assignment__proposal", "assignment__unit", "grade").get(pk=pk)
    except (Reply.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def sees_whole_timeline(user: Any, proposal: Proposal, roles: set[str] | None = None) -> bool:
    """True when ``user`` has a part in ``proposal`` (any role of ``proposal.roles_of``: proposer, co-signer,
    staff, leader, assigned unit) and so reads its whole timeline; see the module docstring."""
    return bool(proposal.roles_of(user) if roles is None else roles)


def visible_timeline(user: Any, proposal: Proposal, roles: set[str] | None = None) -> list[AuditEntry]:
    """The audit entries of ``proposal`` that ``user`` may read, oldest first (module docstring). For a reader
    without a part in the case only the changes of state, each with ``actor``, ``comment``, ``old_values`` and
    ``new_values`` emptied (in memory, never saved) and ``redacted`` set."""
    entries = audit.timeline(proposal).prefetch_related("actor__profiles")
    if sees_whole_timeline(user, proposal, roles):
        return list(entries)
    public = list(entries.filter(to_state__gt=""))  # a change of state: to_state set (not NULL, not empty)
    for entry in public:
        entry.actor = None
        entry.comment = ""
        entry.old_values, entry.new_values = {}, {}
        entry.redacted = True  # type: ignore[attr-defined]
    return public
