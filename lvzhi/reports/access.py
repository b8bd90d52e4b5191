"""Who may see a council's statistics: its proposals-committee staff, its leaders and its administrators
(an administrator without a council: every council). Anyone else is answered "not found"."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.core.errors import NotFoundError
from lvzhi.core.models import Job
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, Session


def stats_councils(user: Any) -> QuerySet[Council]:
    """The councils whose statistics ``user`` may see (empty for members, units and strangers)."""
    profile = profile_of(user)
    if profile is None:
        return Council.objects.none()
    if profile.role == Role.ADMIN and profile.council_id is None:
        return Council.objects.all()
    if profile.role in (Role.STAFF, Role.ADMIN, Role.LEADER) and profile.council_id:
        return Council.objects.filter(pk=profile.council_id)
    return Council.objects.none()


def access_stats_council(user: Any, council_id: Any = None) -> Council:
    """The council ``council_id`` if ``user`` may see its statistics; without an id, the user's own council
    (or the first one for an administrator of all councils). Raises :class:`NotFoundError` otherwise."""
    councils = stats_councils(user)
    if council_id in (None, ""):
        profile = profile_of(user)
        council_id = profile.council_id if profile and profile.council_id else None
        council = councils.first() if council_id is None else councils.filter(pk=council_id).first()
    else:
        try:
            council = councils.filter(pk=int(council_id)).first()
        except (TypeError, ValueError):
            council = None
    if council is None:
        raise NotFoundError()
    if not (is_council_staff(user, council.pk) or is_council_leader(user, council.pk)):
        raise NotFoundError()
    return council


def access_job(user: Any, pk: Any) -> Job:
    """Background job ``pk`` if ``user`` started it; :class:`NotFoundError` otherwise (missing or not theirs)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFoundError()
    try:
        return Job.objects.get(pk=pk, created_by_id=getattr(user, "pk", None))
    except (Job.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def compilation_sessions(user: Any) -> QuerySet[Session]:
    """The sessions whose compilation of reply letters (汇编) ``user`` may download: those of the councils
    where ``user`` is staff or administrator (an administrator without council: every council's)."""
    profile = profile_of(user)
    if profile is None or not getattr(user, "is_active", False):
        return Session.objects.none()
    if profile.role == Role.ADMIN and profile.council_id is None:
        return Session.objects.all()
    if profile.role in (Role.STAFF, Role.ADMIN) and profile.council_id:
        return Session.objects.filter(term__council_id=profile.council_id)
    return Session.objects.none()


def access_compilation_session(user: Any, pk: Any) -> Session:
    """Session ``pk`` (with its term and council) if ``user`` may download its compilation
    (:func:`compilation_sessions`); :class:`NotFoundError` otherwise (missing or forbidden)."""
    try:
        return compilation_sessions(user).select_related("term__council").get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
