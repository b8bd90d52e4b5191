"""Forms of the suggestion pages: they parse input only; the rules live in :mod:`lvzhi.suggestions.actions`
and :mod:`lvzhi.cases.actions`.

Fields the writers validate themselves (title, grade, reasons, scores …) are not ``required`` here, so the
writer's own Chinese message (``DomainError.message``, naming the field) is the one shown beside the field;
the browser still gets a ``required`` attribute for quick feedback. Every form about one suggestion carries
the ``version`` the user saw (a stale page is refused with the conflict message).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.cases import people
from lvzhi.cases.choices import AssignmentRole, ContactWay, InstructionStatus, ReplyKind
from lvzhi.cases.models import KeyGroup, Reply
from lvzhi.cases.policy import grades_for, policy_for
from lvzhi.core.writing import counter_attrs
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.choices import OrganisationKind, Role
from lvzhi.members.models import HandlingUnit, Member, Organisation, Session
from lvzhi.suggestions.choices import DELEGATION_KIND, DeputyRole
from lvzhi.suggestions.defaults import CASE_TYPE
from lvzhi.suggestions.models import Suggestion

REQUIRED = {"required": True}


def _text(label: Any, *, rows: int = 0, required_attr: bool = False, max_length: int | None = None,
          help_text: Any = "") -> forms.CharField:
    attrs: dict[str, Any] = dict(REQUIRED) if required_attr else {}
    if rows:
        attrs.update(counter_attrs(max_length))
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, widget=widget, max_length=max_length,
                           help_text=help_text, strip=True)


def _deputies(council_id: int, *, exclude: int | None = None) -> forms.ModelMultipleChoiceField:
    qs = Member.objects.filter(council_id=council_id, active=True).order_by("name")
    if exclude:
        qs = qs.exclude(pk=exclude)
    return forms.ModelMultipleChoiceField(label=_("附议代表"), required=False, queryset=qs,
                                          widget=forms.SelectMultiple(attrs={"size": 5}),
                                          help_text=_("可多选；被邀请的代表须在期限内确认附议。"))


def _delegations(council_id: int) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("代表团"), required=False, empty_label=_("（闭会期间可不选）"),
                                  queryset=Organisation.objects.filter(council_id=council_id, kind=DELEGATION_KIND),
                                  help_text=_("大会期间提出的建议须选择所在代表团。"))


class NewSuggestionForm(forms.Form):
    """A new suggestion (draft). A deputy drafts as its leading deputy; the staff enter a paper one for a
    deputy."""

    session = forms.ModelChoiceField(label=_("会议"), queryset=Session.objects.none(), empty_label=None)
    title = _text(_("标题"), required_attr=True, max_length=200, help_text=_("一事一议，如「关于……的建议」。"))
    content = _text(_("内容"), rows=8, help_text=_("写明问题、原因和具体建议。"))
    category = _text(_("类别"), max_length=50)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        profile = profile_of(user)
        council_id = profile.council_id if profile and profile.council_id else 0
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            Session.objects.filter(term__council_id=council_id).select_related("term__council")
            .order_by("-plenary_start"))
        self.fields["delegation"] = _delegations(council_id)
        if is_council_staff(user, council_id):
            self.fields["leading_deputy"] = forms.ModelChoiceField(
                label=_("领衔代表"), required=False, empty_label=_("—— 请选择 ——"),
                queryset=Member.objects.filter(council_id=council_id, active=True).order_by("name"))
            self.fields["seconders"] = _deputies(council_id)
        else:
            self.fields["seconders"] = _deputies(council_id, exclude=people.member_id_of(user))


class CaseForm(forms.Form):
    """Base of the forms about one suggestion: knows it, the user, the target (an assignment, reply,
    instruction or key group, for a step about one) and the version they saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, suggestion: Suggestion, user: Any, target: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        self.user = user
        self.target = target
        self.fields["version"].initial = suggestion.version
        self.setup()

    def setup(self) -> None:
        """Fill choices that depend on the suggestion, the target or the user (override)."""


class ConfirmForm(CaseForm):
    """A step with nothing to enter (submit, withdraw, sign off)."""


class EditForm(CaseForm):
    title = _text(_("标题"), required_attr=True, max_length=200)
    content = _text(_("内容"), rows=8)
    category = _text(_("类别"), max_length=50)

    def setup(self) -> None:
        self.fields["delegation"] = _delegations(self.suggestion.council_id)
        if not self.is_bound:
            for name in ("title", "content", "category"):
                self.initial.setdefault(name, getattr(self.suggestion, name))
            self.initial.setdefault("delegation", self.suggestion.delegation_id)


class InviteForm(CaseForm):
    def setup(self) -> None:
        leading = self.suggestion.deputies.filter(role=DeputyRole.LEADING).values_list("member_id", flat=True).first()
        self.fields["seconders"] = _deputies(self.suggestion.council_id, exclude=leading)


class SecondForm(CaseForm):
    decision = forms.ChoiceField(label=_("是否附议"), choices=[("accept", _("确认附议")), ("decline", _("不附议"))],
                                 widget=forms.RadioSelect, initial="accept")


class ReturnForm(CaseForm):
    ground = forms.ChoiceField(label=_("退回理由"), required=False, widget=forms.Select(attrs=REQUIRED))
    comment = _text(_("退回说明"), rows=3, required_attr=True, help_text=_("告诉代表退回的原因和处理建议。"))

    def setup(self) -> None:
        pol = policy_for(self.suggestion.council_id, CASE_TYPE)
        self.fields["ground"].choices = [("", _("—— 请选择 ——"))] + [  # type: ignore[attr-defined]
            (g["code"], _(g["label"])) for g in pol.return_grounds]


class AcceptForm(CaseForm):
    category = _text(_("类别"), max_length=50)
    comment = _text(_("受理意见"), rows=2)

    def setup(self) -> None:
        self.initial.setdefault("category", self.suggestion.category)


class PlanMixin(forms.Form):
    """How to assign (交办): one unit alone, a lead unit with co-handling units, or several units separately."""

    MODES = [(AssignmentRole.SOLE, _("单办（一个承办单位）")), (AssignmentRole.LEAD, _("主办 + 会办")),
             (AssignmentRole.SEPARATE, _("分办（各单位分别答复）"))]
    mode = forms.ChoiceField(label=_("办理方式"), choices=MODES, initial=AssignmentRole.SOLE, widget=forms.RadioSelect)
    main_unit = forms.ModelChoiceField(label=_("承办单位（单办、主办或第一个分办单位）"), required=False,
                                       queryset=HandlingUnit.objects.none(), empty_label=_("—— 请选择 ——"))
    other_units = forms.ModelMultipleChoiceField(label=_("会办单位或其他分办单位"), required=False,
                                                 queryset=HandlingUnit.objects.none(),
                                                 widget=forms.SelectMultiple(attrs={"size": 5}))

    def set_units(self, council_id: int) -> None:
        units = HandlingUnit.objects.filter(active=True, council_id=council_id).order_by("name")
        self.fields["main_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["other_units"].queryset = units  # type: ignore[attr-defined]

    def plan(self) -> list[tuple[HandlingUnit, str]]:
        """The plan ``[(unit, role), …]`` for ``cases.actions.assign`` (possibly invalid: the writer checks
        it and names the problem, e.g. 单办只能交给一个承办单位)."""
        mode = self.cleaned_data["mode"]
        main = self.cleaned_data.get("main_unit")
        others = [u for u in self.cleaned_data.get("other_units") or [] if u != main]
        plan: list[tuple[HandlingUnit, str]] = [(main, mode)] if main else []
        other_role = {AssignmentRole.LEAD: AssignmentRole.CO}.get(mode, mode)
        return plan + [(u, other_role) for u in others]


class AssignForm(CaseForm, PlanMixin):
    comment = _text(_("交办意见"), rows=2)

    def setup(self) -> None:
        self.set_units(self.suggestion.council_id)


class BatchAssignForm(PlanMixin):
    def __init__(self, *args: Any, council_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_units(council_id)


class SendBackForm(CaseForm):
    reason = _text(_("退回理由"), rows=3, required_attr=True, help_text=_("说明不属于本单位职责的理由及建议的承办单位。"))


class OpinionForm(CaseForm):
    opinion = _text(_("会办意见"), rows=5, required_attr=True)


class ContactForm(CaseForm):
    contacted_on = forms.DateField(label=_("沟通日期"), required=False,
                                   widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", **REQUIRED}))
    way = forms.ChoiceField(label=_("沟通方式"), required=False, choices=ContactWay.choices, widget=forms.RadioSelect)
    with_whom = _text(_("沟通对象"), required_attr=True, max_length=100)
    notes = _text(_("沟通情况"), rows=4, required_attr=True)

    def setup(self) -> None:
        self.initial.setdefault("contacted_on", timezone.localdate())
        leading = self.suggestion.leading_deputy
        if leading is not None:
            self.initial.setdefault("with_whom", leading.name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); type and size are checked by the writer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.doc,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class ReplyForm(CaseForm):
    """The clerk's reply draft of the current round (the target is the assignment)."""

    kind = ReplyKind.ANSWER
    grade = forms.ChoiceField(label=_("答复类别"), required=False, widget=forms.RadioSelect)
    text = _text(_("答复内容"), rows=8, required_attr=True)
    contact_person = _text(_("联系人"), max_length=50)
    contact_phone = _text(_("联系电话"), max_length=30)
    attachments = MultipleFileField(label=_("答复函附件"), required=False, help_text=_("PDF 或 Word 文件，可多选。"))
    for_signoff = forms.BooleanField(label=_("提交负责人签发"), required=False, initial=True,
                                     help_text=_("不勾选则仅保存为草稿。"))

    def setup(self) -> None:
        grades = grades_for(self.suggestion.council_id, CASE_TYPE)
        self.fields["grade"].choices = [(g.code, f"{g.code}类：{_(g.label)}") for g in grades]  # type: ignore[attr-defined]
        if self.is_bound:
            return
        draft = None
        if self.target is not None:
            draft = (Reply.objects.filter(assignment=self.target, kind=self.kind).select_related("grade")
                     .order_by("-round").first())
            if draft is not None and (draft.status == "signed" or (draft.round != self.target.round
                                      and self.kind == ReplyKind.ANSWER)):
                draft = None
        if draft is not None:
            self.initial.update({"grade": draft.grade.code, "text": draft.text,
                                 "contact_person": draft.contact_person, "contact_phone": draft.contact_phone})
            return
        profile = profile_of(self.user)
        if profile is not None:
            self.initial.setdefault("contact_person", profile.display_name)
            self.initial.setdefault("contact_phone", profile.phone)


class FinalForm(ReplyForm):
    """The second answer (办结答复) to a reply whose grade needs follow-up (B: being resolved)."""

    kind = ReplyKind.FINAL


class ReturnReplyForm(CaseForm):
    comment = _text(_("退回修改意见"), rows=3, required_attr=True)


class EvaluateForm(CaseForm):
    """The opinion form (意见征询表): one level per dimension of the council's scheme."""

    comment = _text(_("意见和建议"), rows=3)

    def setup(self) -> None:
        pol = policy_for(self.suggestion.council_id, CASE_TYPE)
        levels = [(lv["code"], _(lv["label"])) for lv in pol.levels]
        fields: dict[str, forms.Field] = {}
        for d in pol.dimensions:
            fields[f"score_{d['code']}"] = forms.ChoiceField(label=_(d["label"]), choices=levels, required=False,
                                                             widget=forms.RadioSelect)
        if set(self.suggestion.roles_of(self.user)) & pol.roles_for("evaluate_for"):
            ids = self.suggestion.evaluator_ids(pol.joint_reply_mode)
            if self.user.pk not in ids:
                users = get_user_model().objects.filter(pk__in=ids)
                field = forms.ModelChoiceField(label=_("代代表录入（纸质意见征询表）"), queryset=users, required=True,
                                               empty_label=None)
                field.label_from_instance = people.display_name  # type: ignore[method-assign,assignment]
                fields["on_behalf_of"] = field
        comment = self.fields.pop("comment")
        self.fields.update(fields)
        self.fields["comment"] = comment
        self.help_text = _("对联系沟通、办理态度或办理结果选择「不满意」的，承办单位须重新办理。")

    def scores(self) -> dict[str, str]:
        return {k[len("score_"):]: v for k, v in self.cleaned_data.items() if k.startswith("score_") and v}


class ExtendForm(CaseForm):
    until = forms.DateField(label=_("延期至"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    reason = _text(_("延期理由"), rows=2, required_attr=True)


class KeyForm(CaseForm):
    is_key = forms.BooleanField(label=_("重点督办建议"), required=False)
    comment = _text(_("说明"), rows=2)

    def setup(self) -> None:
        if not self.is_bound:
            self.initial.setdefault("is_key", not self.suggestion.is_key)


class KeyGroupForm(CaseForm):
    """Put the suggestion in a key group (重点督办专题): an existing one, or a new theme under a special
    committee led by a leader (领衔督办)."""

    group = forms.ModelChoiceField(label=_("已有督办专题"), required=False, queryset=KeyGroup.objects.none(),
                                   empty_label=_("（新建专题）"))
    theme = _text(_("新专题名称"), max_length=200)
    special_committee = forms.ModelChoiceField(label=_("牵头专门委员会"), required=False,
                                               queryset=Organisation.objects.none(), empty_label=_("（无）"))
    leading_leader = forms.ModelChoiceField(label=_("领衔督办领导"), required=False,
                                            queryset=get_user_model().objects.none(), empty_label=_("（无）"))
    plan = _text(_("督办方案"), rows=3)

    def setup(self) -> None:
        council_id = self.suggestion.council_id
        self.fields["group"].queryset = KeyGroup.objects.filter(  # type: ignore[attr-defined]
            council_id=council_id, case_type=CASE_TYPE).order_by("-year", "id")
        self.fields["special_committee"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            council_id=council_id, kind=OrganisationKind.SPECIAL_COMMITTEE)
        leaders: Any = self.fields["leading_leader"]
        leaders.queryset = get_user_model().objects.filter(profile__council_id=council_id, profile__role=Role.LEADER,
                                                           is_active=True).distinct()
        leaders.label_from_instance = people.display_name


class TextForm(CaseForm):
    text = _text(_("内容"), rows=4, required_attr=True)


class KeyNoteForm(TextForm):
    def setup(self) -> None:
        self.fields["text"].label = _("督办进展")


class InstructForm(TextForm):
    def setup(self) -> None:
        self.fields["text"].label = _("批示内容")


class InstructionNoteForm(CaseForm):
    status = forms.ChoiceField(label=_("落实情况"), choices=InstructionStatus.choices, required=False,
                               widget=forms.RadioSelect)
    text = _text(_("落实说明"), rows=3, required_attr=True)


class FollowUpForm(CaseForm):
    note = _text(_("跟踪情况"), rows=3, required_attr=True)
    delivered = forms.BooleanField(label=_("承诺事项已落实"), required=False)


class ExcellentForm(CaseForm):
    kind = forms.ChoiceField(label=_("评选类别"), choices=[("excellent", _("优秀建议")), ("golden_idea", _("金点子"))],
                             widget=forms.RadioSelect, initial="excellent")
    year = forms.IntegerField(label=_("年度"), required=False, help_text=_("留空则取消评选。"))

    def setup(self) -> None:
        self.initial.setdefault("year", timezone.localdate().year)


class ExcellentHandlingForm(CaseForm):
    year = forms.IntegerField(label=_("优秀办理年度"), required=False, help_text=_("留空则取消评选。"))

    def setup(self) -> None:
        self.initial.setdefault("year", timezone.localdate().year)


class CloseForm(CaseForm):
    comment = _text(_("办结说明"), rows=2)
