"""Forms of the proposal pages: they parse input only; the rules live in ``lvzhi.proposals.actions``.

Fields the actions validate themselves (title, grade, reasons…) are not ``required`` here, so the action's
own Chinese message (``DomainError.message``) is the one shown next to the field; the browser still gets a
``required`` attribute for quick feedback. Every form that changes a proposal carries the ``version`` the
user saw (optimistic locking: a stale page is refused with the conflict message).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lvzhi.core.text_limits import ANSWER_MAX, COMMENT_MAX, REASON_MAX, RECORD_MAX, column_max
from lvzhi.core.writing import counter_attrs
from lvzhi.members.access import display_name, profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import HandlingUnit, Member, Organisation, Session
from lvzhi.proposals.choices import (
    ORGANISATION_PROPOSER_KINDS,
    SECTION_MAX,
    AssignmentRole,
    AssignmentStatus,
    NotFiledGround,
    ProposerKind,
    Satisfaction,
)
from lvzhi.proposals.letters import letter_frame
from lvzhi.proposals.models import Category, Proposal, Reply
from lvzhi.workflow.models import ReplyGrade

REQUIRED = {"required": True}


def _text(label: Any, *, rows: int = 0, required_attr: bool = False, max_length: int | None = None,
          help_text: Any = "") -> forms.CharField:
    """A text input (``rows`` > 0: a textarea) validated by the action, with the ``required`` attribute
    for the browser when ``required_attr``. ``label``/``help_text`` are (lazy) strings."""
    attrs: dict[str, Any] = dict(REQUIRED) if required_attr else {}
    if rows:
        attrs.update(counter_attrs(max_length))
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, widget=widget, max_length=max_length,
                           help_text=help_text, strip=True)


class CaseForm(forms.Form):
    """Base of the forms about one proposal: knows the proposal, the user and the version they saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, proposal: Proposal, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.user = user
        self.fields["version"].initial = proposal.version
        self.setup()

    def setup(self) -> None:
        """Fill choices that depend on the proposal or the user (override)."""


class ConfirmForm(CaseForm):
    """A step with nothing to enter (submit, withdraw, sign off, archive)."""


class CommentForm(CaseForm):
    comment = _text(_("意见"), rows=3, max_length=COMMENT_MAX)


class ReturnForm(CaseForm):
    comment = _text(_("退回意见"), rows=3, required_attr=True, max_length=COMMENT_MAX,
                    help_text=_("告诉提案者需要如何完善。"))


class ReturnReplyForm(CaseForm):
    comment = _text(_("退回意见"), rows=3, required_attr=True, max_length=COMMENT_MAX,
                    help_text=_("告诉经办人需要如何修改答复。"))


class CloseForm(CaseForm):
    comment = _text(_("办结说明"), rows=2, max_length=COMMENT_MAX)


class CosignForm(CaseForm):
    decision = forms.ChoiceField(label=_("是否联名"), choices=[("accept", _("确认联名")), ("decline", _("拒绝"))],
                                 widget=forms.RadioSelect, initial="accept")


class _CategoryMixin:
    def category_choices(self, council_id: int) -> forms.ModelChoiceField:
        return forms.ModelChoiceField(label=_("类别"), required=False,
                                      queryset=Category.objects.filter(council_id=council_id),
                                      empty_label=_("（未分类）"))


class EditForm(_CategoryMixin, CaseForm):
    title = _text(_("案由"), required_attr=True, max_length=200, help_text=_("一事一案，如「关于……的建议」。"))
    situation = _text(_("情况"), rows=5, max_length=SECTION_MAX)
    analysis = _text(_("分析"), rows=5, max_length=SECTION_MAX)
    suggestions = _text(_("具体建议"), rows=6, required_attr=True, max_length=SECTION_MAX)

    field_order = ["title", "category", "situation", "analysis", "suggestions"]

    def setup(self) -> None:
        self.fields["category"] = self.category_choices(self.proposal.council_id)
        self.order_fields(self.field_order)
        if not self.is_bound:
            for name in ("title", "situation", "analysis", "suggestions", "category"):
                self.initial.setdefault(name, getattr(self.proposal, name))


def _member_choices(council_id: int, exclude: int | None = None) -> forms.ModelMultipleChoiceField:
    qs = Member.objects.filter(council_id=council_id, active=True).select_related("sector")
    if exclude:
        qs = qs.exclude(pk=exclude)
    field = forms.ModelMultipleChoiceField(label=_("邀请联名人"), required=False, queryset=qs,
                                           widget=forms.SelectMultiple(attrs={"size": 6}),
                                           help_text=_("可多选（按住 Ctrl 或 ⌘ 键）；被邀请的委员须在期限内确认。"))
    field.label_from_instance = lambda m: f"{m.name}（{m.sector}）" if m.sector_id else m.name  # type: ignore[method-assign,assignment]
    return field


class InviteForm(CaseForm):
    def setup(self) -> None:
        self.fields["cosigners"] = _member_choices(self.proposal.council_id, self.proposal.first_proposer_id)


class FileForm(_CategoryMixin, CaseForm):
    comment = _text(_("立案意见"), rows=2, max_length=COMMENT_MAX)

    def setup(self) -> None:
        self.fields["category"] = self.category_choices(self.proposal.council_id)
        self.initial.setdefault("category", self.proposal.category_id)
        self.order_fields(["category", "comment"])


class NotFileForm(CaseForm):
    ground = forms.ChoiceField(label=_("不予立案理由"), required=False,
                               choices=[("", _("—— 请选择 ——")), *NotFiledGround.choices],
                               widget=forms.Select(attrs=REQUIRED))
    comment = _text(_("给提案者的说明"), rows=3, required_attr=True, max_length=COMMENT_MAX)


class MergeForm(CaseForm):
    others = forms.ModelMultipleChoiceField(label=_("并入本案的提案"), required=False, queryset=Proposal.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    comment = _text(_("并案说明"), rows=2, max_length=COMMENT_MAX)

    def setup(self) -> None:
        field: Any = self.fields["others"]
        field.queryset = (Proposal.objects.filter(council_id=self.proposal.council_id, state__mergeable=True,
                                                  merged_into__isnull=True)
                          .exclude(pk=self.proposal.pk).select_related("first_proposer", "organisation")
                          .order_by("-submitted_at"))
        field.label_from_instance = lambda p: f"《{p.title}》 {p.proposer_name}"  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    """How to assign (交办): one unit alone, a lead unit with co-handling units, or several units separately."""

    MODES = [(AssignmentRole.SOLE, _("单办（一个承办单位）")), (AssignmentRole.LEAD, _("主办 + 会办")),
             (AssignmentRole.SEPARATE, _("分办（各单位分别答复）"))]
    mode = forms.ChoiceField(label=_("办理方式"), choices=MODES, initial=AssignmentRole.SOLE,
                             widget=forms.RadioSelect)
    main_unit = forms.ModelChoiceField(label=_("承办单位（单办、主办或第一个分办单位）"), required=False,
                                       queryset=HandlingUnit.objects.none(), empty_label=_("—— 请选择 ——"))
    other_units = forms.ModelMultipleChoiceField(label=_("会办单位或其他分办单位"), required=False,
                                                 queryset=HandlingUnit.objects.none(),
                                                 widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args: Any, council_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = HandlingUnit.objects.filter(active=True)
        if council_id is not None:
            units = units.filter(council_id=council_id)
        self.fields["main_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["other_units"].queryset = units  # type: ignore[attr-defined]

    def plan(self) -> list[tuple[HandlingUnit, str]]:
        """The assignment plan ``[(unit, role), …]`` for ``actions.assign_proposal`` (may be invalid: the
        action checks it and names the problem)."""
        mode = self.cleaned_data["mode"]
        main = self.cleaned_data.get("main_unit")
        others = [u for u in self.cleaned_data.get("other_units") or [] if u != main]
        plan: list[tuple[HandlingUnit, str]] = [(main, mode)] if main else []
        if mode == AssignmentRole.LEAD:
            plan += [(u, AssignmentRole.CO) for u in others]
        elif mode == AssignmentRole.SEPARATE:
            plan += [(u, AssignmentRole.SEPARATE) for u in others]
        elif others:
            plan += [(u, AssignmentRole.SOLE) for u in others]  # refused by the action: 单办只能交给一个单位
        return plan


class CaseAssignForm(CaseForm, AssignForm):
    comment = _text(_("交办意见"), rows=2, max_length=COMMENT_MAX)

    def __init__(self, *args: Any, proposal: Proposal, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, proposal=proposal, user=user, council_id=proposal.council_id, **kwargs)


class SendBackForm(CaseForm):
    reason = _text(_("申退理由"), rows=3, required_attr=True, max_length=REASON_MAX,
                   help_text=_("说明不属于本单位职责的理由及建议的承办单位。"))


class OpinionForm(CaseForm):
    opinion = _text(_("会办意见"), rows=5, required_attr=True, max_length=ANSWER_MAX)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); type and size are checked by the action."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.doc,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class ReplyForm(CaseForm):
    grade = forms.ChoiceField(label=_("答复类别"), required=False, widget=forms.RadioSelect)
    text = _text(_("答复内容"), rows=8, required_attr=True, max_length=RECORD_MAX)
    contact_person = _text(_("联系人"), max_length=column_max(Reply, "contact_person"))
    contact_phone = _text(_("联系电话"), max_length=column_max(Reply, "contact_phone"))
    attachments = MultipleFileField(label=_("答复函附件"), required=False,
                                    help_text=_("PDF 或 Word 文件，可多选。"))
    for_signoff = forms.BooleanField(label=_("提交负责人签发"), required=False, initial=True,
                                     help_text=_("不勾选则仅保存为草稿。"))

    def setup(self) -> None:
        # The co-handling units' opinions, shown to the lead clerk while drafting (sent or still missing).
        self.co_handling = list(self.proposal.assignments.filter(role=AssignmentRole.CO).exclude(
            status__in=[AssignmentStatus.WITHDRAWN, AssignmentStatus.SENT_BACK]).select_related("unit"))
        frame = letter_frame(self.proposal)
        self.fields["text"].help_text = _(
            "答复函由系统套上固定格式：正文前加称呼「%(addressee)s：」和开头「%(opening)s」；正文后加承办单位署名、"
            "日期、联系人和抄送。请从答复的具体内容写起；如正文已以称呼或“……收悉”开头，系统不再重复添加。"
        ) % {"addressee": frame.addressee or _("提案者"), "opening": frame.opening}
        grades = ReplyGrade.objects.filter(council_id=self.proposal.council_id, active=True)
        self.fields["grade"].choices = [(g.code, f"{g.code}类：{g.label}") for g in grades]  # type: ignore[attr-defined]
        profile = profile_of(self.user)
        if profile is not None and not self.is_bound:
            self.initial.setdefault("contact_person", profile.display_name)
            self.initial.setdefault("contact_phone", profile.phone)


class EvaluateForm(CaseForm):
    attitude = forms.ChoiceField(label=_("办理态度"), choices=Satisfaction.choices, required=False,
                                 widget=forms.RadioSelect)
    relevance = forms.ChoiceField(label=_("答复针对性"), choices=Satisfaction.choices, required=False,
                                  widget=forms.RadioSelect)
    result = forms.ChoiceField(label=_("办理结果"), choices=Satisfaction.choices, required=False,
                               widget=forms.RadioSelect)
    overall = forms.ChoiceField(label=_("总体评价"), choices=Satisfaction.choices, required=False,
                                widget=forms.RadioSelect, help_text=_("选择「不满意」将退回承办单位重新办理。"))
    comment = _text(_("意见和建议"), rows=3, max_length=COMMENT_MAX)

    def setup(self) -> None:
        if "staff" in self.proposal.roles_of(self.user):
            ids = set(self.proposal.proposer_user_ids())
            for merged in self.proposal.merged_proposals.all():
                ids |= merged.proposer_user_ids()
            users = get_user_model().objects.filter(pk__in=ids)
            self.fields["on_behalf_of"] = forms.ModelChoiceField(
                label=_("代提案者录入（纸质测评表）"), queryset=users, required=True,
                empty_label=None)
            self.fields["on_behalf_of"].label_from_instance = (  # type: ignore[attr-defined]
                display_name)


class KeyForm(CaseForm):
    is_key = forms.BooleanField(label=_("重点提案"), required=False)
    supervising_leader = _text(_("督办领导"), max_length=column_max(Proposal, "supervising_leader"))
    comment = _text(_("说明"), rows=2, max_length=COMMENT_MAX)

    def setup(self) -> None:
        if not self.is_bound:
            self.initial.setdefault("is_key", not self.proposal.is_key)
            self.initial.setdefault("supervising_leader", self.proposal.supervising_leader)


class FollowUpForm(CaseForm):
    note = _text(_("跟踪情况"), rows=3, required_attr=True, max_length=ANSWER_MAX)
    delivered = forms.BooleanField(label=_("承诺事项已落实"), required=False)


class ExcellentForm(CaseForm):
    year = forms.IntegerField(label=_("优秀提案年度"), required=False, min_value=1949, max_value=2200,
                              help_text=_("留空则取消优秀提案。"))

    def setup(self) -> None:
        if not self.is_bound:
            self.initial.setdefault("year", self.proposal.excellent_year or self.proposal.session.plenary_start.year)


class NewProposalForm(forms.Form):
    """A new proposal (draft). Staff may enter it for a member or an organisation; a member for themself or
    for an organisation they belong to."""

    session = forms.ModelChoiceField(label=_("会议"), queryset=Session.objects.none(), empty_label=None)
    title = _text(_("案由"), required_attr=True, max_length=200, help_text=_("一事一案，如「关于……的建议」。"))
    category = forms.ModelChoiceField(label=_("类别"), required=False, queryset=Category.objects.none(),
                                      empty_label=_("（未分类）"))
    proposer_kind = forms.ChoiceField(label=_("提案者类型"), choices=ProposerKind.choices,
                                      initial=ProposerKind.MEMBER)
    first_proposer = forms.ModelChoiceField(label=_("第一提案人"), required=False, queryset=Member.objects.none(),
                                            empty_label=_("—— 请选择 ——"))
    organisation = forms.ModelChoiceField(label=_("提案单位（集体提案）"), required=False,
                                          queryset=Organisation.objects.none(), empty_label=_("—— 请选择 ——"))
    situation = _text(_("情况"), rows=5, max_length=SECTION_MAX)
    analysis = _text(_("分析"), rows=5, max_length=SECTION_MAX)
    suggestions = _text(_("具体建议"), rows=6, required_attr=True, max_length=SECTION_MAX)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        profile = profile_of(user)
        council_id: Any = profile.council_id if profile else None
        sessions = Session.objects.select_related("term__council").order_by("-plenary_start")
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            sessions.filter(term__council_id=council_id) if council_id else sessions)
        self.fields["category"].queryset = Category.objects.filter(council_id=council_id)  # type: ignore[attr-defined]
        org_kinds = [str(k.value) for k in ORGANISATION_PROPOSER_KINDS]
        orgs = Organisation.objects.filter(council_id=council_id, kind__in=org_kinds)
        if profile is not None and profile.role == Role.MEMBER:
            del self.fields["first_proposer"]
            member = profile.member
            orgs = orgs.filter(pk__in=[o.pk for o in member.organisations()] if member else [])
            self.fields["cosigners"] = _member_choices(council_id or 0, profile.member_id)
        else:
            self.fields["first_proposer"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
                council_id=council_id, active=True)
            self.fields["cosigners"] = _member_choices(council_id or 0)
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["organisation"].help_text = _("党派团体、人民团体、专门委员会、界别或委员小组提出的提案须选择。")
