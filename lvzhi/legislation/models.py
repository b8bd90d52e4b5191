"""The legislative outreach office (基层立法联系点, WORKFLOWS.md §5): drafts and their provisions, consultations
(征求意见) with their invitees, comments per article, and the consolidated opinions reported upward with the
legislature's adoption (采纳). Only :mod:`lvzhi.legislation.actions` writes these rows."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.legislation.choices import (
    Adoption,
    CommentSource,
    DraftStatus,
    InviteeKind,
    ProvisionKind,
    SourceLegislature,
)

#: Longest comment accepted (characters). A comment on one article is a few sentences to a page; 5,000
#: characters is about five printed pages — anything longer is an attachment, not a comment.
COMMENT_MAX = 5000


class Draft(models.Model):
    """A draft regulation (法规草案) as imported; ``version`` grows with every change of its structure
    (optimistic locking of the split corrections)."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="drafts",
                                verbose_name=_("机构"))
    title = models.CharField(_("标题"), max_length=300)
    draft_label = models.CharField(_("草案标注"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=SourceLegislature.choices,
                              default=SourceLegislature.CITY)
    status = models.CharField(_("状态"), max_length=20, choices=DraftStatus.choices, default=DraftStatus.IMPORTED)
    preamble = models.TextField(_("题注"), blank=True)
    warnings = models.JSONField(_("导入提示"), default=list, blank=True)
    file_name = models.CharField(_("文件名"), max_length=300, blank=True)
    source_format = models.CharField(_("文件格式"), max_length=10, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("法规草案")
        verbose_name_plural = _("法规草案")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Provision(models.Model):
    """One node of a draft's tree: chapter, section, article, paragraph, item or sub-item. ``order`` is the
    position in the document (0, 1, 2 …); ``text`` the exact source text of its line (an article: its first
    line with the number); ``main``/``sub`` the number's value (第十条之一 = 10/1)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="provisions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(_("层级"), max_length=10, choices=ProvisionKind.choices)
    order = models.PositiveIntegerField(_("顺序"))
    number = models.CharField(_("序号"), max_length=40, blank=True)
    main = models.PositiveIntegerField(default=0)
    sub = models.PositiveIntegerField(default=0)
    heading = models.CharField(_("标题"), max_length=300, blank=True)
    text = models.TextField(_("原文"))

    class Meta:
        ordering = ["draft_id", "order"]
        indexes = [models.Index(fields=["draft", "kind", "order"])]

    def __str__(self) -> str:
        return self.number or self.text[:20]


class Consultation(models.Model):
    """A consultation (征求意见) on a draft: the comment window (``opens_on``–``closes_on``, both days
    included, local dates)."""

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="consultations")
    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=300)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    note = models.TextField(_("说明"), blank=True)
    is_public = models.BooleanField(_("在门户公开征求意见"), default=True)
    reported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Invitee(models.Model):
    """An informant (信息员) or partner unit (协作单位) invited to comment; ``user`` when they have an account
    (then they are notified and their comments are theirs)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="invitees")
    kind = models.CharField(_("类型"), max_length=20, choices=InviteeKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    organisation = models.CharField(_("单位"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "kind", "name"], name="legis_invitee_once")]

    def __str__(self) -> str:
        return self.name


class Opinion(models.Model):
    """A consolidated opinion (汇总意见) on one article (or the whole draft when ``provision`` is empty), written
    by staff from the comments linked to it; ``reported`` chooses it for the report upward; ``adoption`` is
    the legislature's answer."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    provision = models.ForeignKey(Provision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("意见建议"))
    reasons = models.TextField(_("理由"), blank=True)
    reported = models.BooleanField(_("报送"), default=True)
    adoption = models.CharField(_("采纳情况"), max_length=20, choices=Adoption.choices, default=Adoption.PENDING)
    adoption_note = models.TextField(_("采纳说明"), blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation_id", "id"]

    def __str__(self) -> str:
        return self.text[:30]


def new_tracking_code() -> str:
    return secrets.token_hex(6).upper()


class Comment(models.Model):
    """A comment on an article (``provision``) or on the whole draft. From an invited informant or partner
    unit, a deputy (``member``), the public on the portal (``tracking_code`` to read the feedback), or
    staff entering what was said at a hearing (座谈会: ``hearing``, ``speakers``)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    provision = models.ForeignKey(Provision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=20, choices=CommentSource.choices)
    author_name = models.CharField(_("提出人"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hearing = models.CharField(_("座谈会"), max_length=200, blank=True)
    speakers = models.CharField(_("发言人"), max_length=500, blank=True)
    text = models.TextField(_("意见"))
    reasons = models.TextField(_("理由"), blank=True)
    opinion = models.ForeignKey(Opinion, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    tracking_code = models.CharField(max_length=16, default=new_tracking_code, db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation_id", "id"]
        indexes = [models.Index(fields=["consultation", "provision"])]

    def __str__(self) -> str:
        return self.text[:30]
