"""Deputies' suggestions (代表建议): the detail model and its deputies. Handling (assignments, replies,
evaluations, follow-up, instructions) lives in :mod:`lvzhi.cases`; only :mod:`lvzhi.suggestions.actions`
and :mod:`lvzhi.cases.actions` write these rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.cases import people
from lvzhi.cases.choices import JointReplyMode
from lvzhi.suggestions.choices import DeputyRole, DeputyStatus, Period
from lvzhi.workflow.models import Case


class Suggestion(Case):
    """One deputy's or several deputies' suggestion (建议、批评和意见) to the people's congress.

    ``period`` is decided at submission by the date against the session's closing day (``plenary_end``):
    on or before it (from the session's window) 大会期间, otherwise 闭会期间. ``number`` is given when the
    staff accept it, after the council's policy (``CaseTypePolicy``). ``excellent_year`` and
    ``golden_idea_year`` record the yearly selections (优秀建议, 金点子).
    """

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="suggestions",
                                verbose_name=_("机构"))
    session = models.ForeignKey("members.Session", on_delete=models.PROTECT, related_name="suggestions",
                                verbose_name=_("会议"))
    number = models.CharField(_("建议编号"), max_length=40, blank=True, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"), blank=True)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    period = models.CharField(_("提出时间"), max_length=10, choices=Period.choices, blank=True)
    delegation = models.ForeignKey("members.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="suggestions", verbose_name=_("代表团"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("录入人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    return_ground = models.CharField(_("退回理由"), max_length=30, blank=True)
    is_key = models.BooleanField(_("重点督办"), default=False)
    excellent_year = models.PositiveIntegerField(_("优秀建议年度"), null=True, blank=True)
    golden_idea_year = models.PositiveIntegerField(_("金点子年度"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    assignments = GenericRelation("cases.Assignment", related_query_name="suggestion")
    follow_ups = GenericRelation("cases.FollowUp", related_query_name="suggestion")
    instructions = GenericRelation("cases.Instruction", related_query_name="suggestion")

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["council", "session", "state"])]

    def __str__(self) -> str:
        return self.title

    # -- the interface of lvzhi.cases.registry.CaseModel ---------------------------------------------------

    def _deputy_user_ids(self, *roles: str) -> list[int]:
        rows = (self.deputies.filter(role__in=roles, status=DeputyStatus.CONFIRMED)
                .select_related("member__profile").order_by("role", "id"))
        ids: list[int] = []
        for row in rows:
            profile = getattr(row.member, "profile", None)
            if profile is not None and profile.user_id not in ids:
                ids.append(profile.user_id)
        return ids

    def party_user_ids(self) -> set[int]:
        """The leading and confirmed seconding deputies' accounts (the staff member who entered a paper
        suggestion for a deputy without an account stands in for the leading deputy)."""
        ids = set(self._deputy_user_ids(DeputyRole.LEADING, DeputyRole.SECONDING))
        if not self._deputy_user_ids(DeputyRole.LEADING) and self.created_by_id:
            ids.add(self.created_by_id)
        return ids

    def evaluator_ids(self, joint_reply_mode: str) -> list[int]:
        """Who returns the opinion form: the leading deputy, and with ``each`` every confirmed seconding
        deputy too [N1][N3]."""
        leading = self._deputy_user_ids(DeputyRole.LEADING) or ([self.created_by_id] if self.created_by_id else [])
        if joint_reply_mode != JointReplyMode.EACH:
            return leading
        return leading + [i for i in self._deputy_user_ids(DeputyRole.SECONDING) if i not in leading]

    def number_context(self) -> dict[str, Any]:
        when = self.submitted_at or timezone.now()
        return {"term": self.session.term.number, "session": self.session.number, "term_id": self.session.term_id,
                "session_id": self.session_id, "year": timezone.localtime(when).year}

    def roles_of(self, user: Any) -> set[str]:
        """Roles ``user`` holds on this suggestion: ``deputy`` (leading deputy, or the account that entered
        it), ``seconder`` (a confirmed seconding deputy), ``staff``/``admin``, ``leader``, and
        ``unit_clerk``/``unit_leader`` of a unit it is assigned to (not withdrawn)."""
        roles = people.council_and_unit_roles(self, user)
        if not getattr(user, "is_authenticated", False):
            return roles
        member_id = people.member_id_of(user)
        if member_id:
            for role, status in self.deputies.filter(member_id=member_id).values_list("role", "status"):
                if role == DeputyRole.LEADING:
                    roles.add("deputy")
                elif status == DeputyStatus.CONFIRMED:
                    roles.add("seconder")
        if user.pk == self.created_by_id and not self.deputies.filter(
                role=DeputyRole.LEADING, member__profile__isnull=False).exists():
            roles.add("deputy")
        return roles

    @property
    def leading_deputy(self) -> Any:
        row = self.deputies.filter(role=DeputyRole.LEADING).select_related("member").first()
        return row.member if row else None


class SuggestionDeputy(models.Model):
    """A deputy of a suggestion: the leading deputy (confirmed by drafting it) or a seconding deputy invited
    to confirm before ``expires_at`` (the policy's confirmation limit) [N1]."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="deputies")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="suggestion_roles",
                               verbose_name=_("代表"))
    role = models.CharField(_("身份"), max_length=10, choices=DeputyRole.choices)
    status = models.CharField(_("状态"), max_length=10, choices=DeputyStatus.choices, default=DeputyStatus.PENDING)
    invited_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateField(_("确认截止日期"), null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("建议代表")
        verbose_name_plural = _("建议代表")
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "member"], name="unique_suggestion_deputy")]

    def __str__(self) -> str:
        return str(self.member)
