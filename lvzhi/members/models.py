"""The organisation: councils, terms, sessions, members, organisations, handling units and accounts."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import TimeUnit
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role


class Council(models.Model):
    """A CPPCC committee (政协) or people's congress standing committee (人大常委会) and its policy.

    The reply, rating and re-handling limits are the time limits of the workflow states ``assigned``,
    ``replied`` and ``rehandling`` (3 months [R9], 15 working days [R12], 1 month). The limits kept here
    belong to an assignment, not a state: send back within 5 working days [R13], co-handling opinion to the
    lead unit within 1 month [R10], co-signers answer within 7 calendar days.
    """

    kind = models.CharField(_("类型"), max_length=10, choices=CouncilKind.choices)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级机构"),
                               help_text=_("如县（区）人大常委会的上级为市人大常委会；一套系统可服务市、县（区）、镇各级。"))
    case_number_pattern = models.CharField(
        _("案号格式"), max_length=100, default="{term}-{session}-{seq:03d}",
        help_text=_("可用字段：{term} 届次、{session} 会次、{year} 年份、{seq} 流水号"))
    sendback_limit = models.PositiveIntegerField(_("申退期限"), default=5)
    sendback_limit_unit = models.CharField(_("申退期限单位"), max_length=16, choices=TimeUnit.choices,
                                           default=TimeUnit.WORKING_DAYS)
    opinion_limit = models.PositiveIntegerField(_("会办意见期限"), default=1)
    opinion_limit_unit = models.CharField(_("会办意见期限单位"), max_length=16, choices=TimeUnit.choices,
                                          default=TimeUnit.MONTHS)
    cosign_days = models.PositiveIntegerField(_("联名确认期限（自然日）"), default=7)
    at_risk_working_days = models.PositiveIntegerField(_("临期提醒（工作日）"), default=5)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse a parent that is the council itself or one below it (admin forms call this)."""
        from django.core.exceptions import ValidationError

        if self.parent is not None and (self.parent.pk == self.pk or self in self.parent.ancestors()):
            raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})

    def ancestors(self) -> list[Council]:
        """The councils above this one, nearest first (``[]`` for a top-level council)."""
        out: list[Council] = []
        node = self.parent
        while node is not None and node not in out:
            out.append(node)
            node = node.parent
        return out

    @property
    def member_label(self) -> str:
        """What the council calls its members: 代表 in a people's congress, 委员 in a CPPCC."""
        return str(_("代表") if self.kind == CouncilKind.NPC else _("委员"))


class Term(models.Model):
    """A term of the council (届), e.g. the 14th."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="terms", verbose_name=_("机构"))
    number = models.PositiveIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["council", "-number"]
        constraints = [models.UniqueConstraint(fields=["council", "number"], name="unique_term_number")]

    def __str__(self) -> str:
        return _("第%(n)s届") % {"n": self.number}


class Session(models.Model):
    """A session (次会议) of a term with its plenary dates and proposal window.

    A proposal submitted between ``window_start`` and ``plenary_end`` (inclusive) is a plenary proposal
    (大会提案); later ones until the next session's window are ordinary proposals (平时提案) [R5][R6].
    """

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("届"))
    number = models.PositiveIntegerField(_("会次"))
    window_start = models.DateField(_("大会提案征集开始"))
    plenary_start = models.DateField(_("全体会议开始"))
    plenary_end = models.DateField(_("全体会议结束"))

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["term", "-number"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="unique_session_number")]

    def __str__(self) -> str:
        return _("%(council)s第%(term)s届第%(n)s次会议") % {
            "council": self.term.council.short_name or self.term.council.name,
            "term": self.term.number, "n": self.number}

    @property
    def council_id(self) -> int:
        return self.term.council_id

    def is_plenary_date(self, day: date) -> bool:
        """True when ``day`` lies in the plenary proposal window [window_start, plenary_end]."""
        return self.window_start <= day <= self.plenary_end

    def during_plenary(self, day: date) -> bool:
        """True when ``day`` lies in [plenary_start, plenary_end] (sectors may submit then)."""
        return self.plenary_start <= day <= self.plenary_end


class Organisation(models.Model):
    """A sector (界别), party group (党派团体), people's organisation, special committee, liaison or member group
    of a CPPCC; a delegation (代表团, by county or district) or special committee of a people's congress."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="organisations",
                                verbose_name=_("机构"))
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "kind", "name"], name="unique_organisation")]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A member (委员) of a CPPCC or a deputy (代表) of a people's congress, in a term. A deputy belongs to a
    delegation (代表团, :attr:`delegation`)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="members", verbose_name=_("机构"))
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="members", verbose_name=_("届"))
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=2, blank=True)
    sector = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("界别"), limit_choices_to={"kind": OrganisationKind.SECTOR})
    party_group = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("党派团体"),
                                    limit_choices_to={"kind": OrganisationKind.PARTY_GROUP})
    special_committee = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", verbose_name=_("专门委员会"),
                                          limit_choices_to={"kind": OrganisationKind.SPECIAL_COMMITTEE})
    liaison_group = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("联络组"),
                                      limit_choices_to={"kind": OrganisationKind.LIAISON_GROUP})
    delegation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("代表团"),
                                   limit_choices_to={"kind": OrganisationKind.DELEGATION})
    workplace = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    active = models.BooleanField(_("在任"), default=True)

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["council", "name", "id"]
        indexes = [models.Index(fields=["council", "term", "name"])]

    def __str__(self) -> str:
        return self.name

    def organisations(self) -> list[Organisation]:
        return [o for o in (self.delegation, self.sector, self.party_group, self.special_committee,
                            self.liaison_group) if o]


def split_categories(text: str) -> list[str]:
    """Category names in ``text``, split on 、，,；; and whitespace, blanks and repeats dropped, order kept."""
    return list(dict.fromkeys(c for c in re.split(r"[、，,；;\s]+", text or "") if c))


class HandlingUnit(models.Model):
    """A handling unit (承办单位): a government department or other body that answers cases."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="units", verbose_name=_("机构"))
    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    categories = models.CharField(
        _("常办分类"), max_length=300, blank=True,
        help_text=_("该单位通常承办的群众意见分类，用顿号或逗号分隔，如：城乡建设、交通运输。"
                    "本机构尚无足够的转办记录训练单位模型时，据此推荐承办单位。"))
    doc_prefix = models.CharField(
        _("发文机关代字"), max_length=20, blank=True,
        help_text=_("答复函发文字号的机关代字，如「江府建」：签发时按年度顺序编号为 江府建〔2026〕12号。"
                    "留空则答复函不编发文字号。"))
    doc_signer = models.BooleanField(
        _("答复函标注签发人"), default=False,
        help_text=_("按上行文标注签发人（GB/T 9704 第7.2.5条）：发文字号居左，签发人姓名居右。"))

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["council", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="unique_unit_name")]

    def __str__(self) -> str:
        return self.name

    def category_list(self) -> list[str]:
        """The categories in ``categories`` (see :func:`split_categories`)."""
        return split_categories(self.categories)


class Profile(models.Model):
    """One capacity of an account: its role, council, and the member or unit it acts for.

    An account may hold several (a deputy who is also a unit leader; a CPPCC member in one council and a
    deputy in another). Exactly one of them is the account's ``primary`` capacity: the one it acts in until
    it switches (per session, see :func:`lvzhi.members.access.profile_of`), and the one API tokens act in.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiles",
                             related_query_name="profile", verbose_name=_("账号"))
    primary = models.BooleanField(_("主身份"), default=False)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    council = models.ForeignKey(Council, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("机构"))
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="profile", verbose_name=_("委员"))
    unit = models.ForeignKey(HandlingUnit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="staff", verbose_name=_("承办单位"))
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("账号信息")
        verbose_name_plural = _("账号信息")
        ordering = ["-primary", "id"]
        constraints = [models.UniqueConstraint(fields=["user"], condition=models.Q(primary=True),
                                               name="one_primary_profile")]

    def __str__(self) -> str:
        return f"{self.display_name or self.user.get_username()}（{self.capacity_label()}）"

    def role_label(self) -> str:
        """The role's name in the council's own terms: a people's congress calls its members 代表 (deputies)
        and its staff the deputies' affairs office's; otherwise the role's label."""
        if self.council is not None and self.council.kind == CouncilKind.NPC:
            if self.role == Role.MEMBER:
                return str(_("代表"))
            if self.role == Role.STAFF:
                return str(_("代表工作机构工作人员"))
        return str(self.get_role_display())

    def capacity_label(self) -> str:
        """The role with what it acts for, e.g. ``承办单位负责人 · 市教育局`` or ``代表 · 江门市人大常委会``."""
        where = self.unit or self.council
        return f"{self.role_label()} · {where.short_name or where.name}" if where else self.role_label()
