"""Forms of the organisation pages. They parse and check input shapes only; the rules (uniqueness, date
order, phone numbers, roles) are the action functions' and come back as :class:`DomainError` shown beside
the field (:func:`add_domain_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError
from lvzhi.core.models import TimeUnit
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Term
from lvzhi.workflow.actions import SCALE_LABELS

#: The configured password policy in one line (lvzhi/core/passwords.py), in the user's language.
PASSWORD_HELP = lazy(lambda: " ".join(password_validators_help_texts()), str)()

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show ``exc.message`` beside its field, or above the form when the field is not one of the form's."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class CouncilCreateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=CouncilKind.choices)
    parent = forms.ModelChoiceField(label=_("上级机构"), queryset=Council.objects.all(), required=False,
                                    help_text=_("如县（区）人大常委会的上级为市人大常委会，可空。"))
    grade_scale = forms.ChoiceField(label=_("答复分类"), choices=list(SCALE_LABELS.items()))


class PolicyForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    case_number_pattern = forms.CharField(
        label=_("案号格式"), max_length=100,
        help_text=_("可用字段：{term} 届次、{session} 会次、{year} 年份、{seq} 流水号，如 {term}-{session}-{seq:03d}"))
    sendback_limit = forms.IntegerField(label=_("申退期限"), min_value=1, max_value=999)
    sendback_limit_unit = forms.ChoiceField(label=_("申退期限单位"), choices=TimeUnit.choices)
    opinion_limit = forms.IntegerField(label=_("会办意见期限"), min_value=1, max_value=999)
    opinion_limit_unit = forms.ChoiceField(label=_("会办意见期限单位"), choices=TimeUnit.choices)
    cosign_days = forms.IntegerField(label=_("联名确认期限（自然日）"), min_value=1, max_value=999)
    at_risk_working_days = forms.IntegerField(label=_("临期提醒（工作日）"), min_value=0, max_value=999)


class GradeScaleForm(forms.Form):
    scale = forms.ChoiceField(label=_("答复分类"), choices=list(SCALE_LABELS.items()))


class TermForm(forms.Form):
    number = forms.IntegerField(label=_("届次"), min_value=1, max_value=999)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE, required=False)


class SessionForm(forms.Form):
    number = forms.IntegerField(label=_("会次"), min_value=1, max_value=999)
    window_start = forms.DateField(label=_("大会提案征集开始"), widget=DATE)
    plenary_start = forms.DateField(label=_("全体会议开始"), widget=DATE)
    plenary_end = forms.DateField(label=_("全体会议结束"), widget=DATE)


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)


class RenameForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    term = forms.ModelChoiceField(label=_("届"), queryset=Term.objects.none())
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), ("男", "男"), ("女", "女")], required=False)
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Organisation.objects.none(), required=False)
    party_group = forms.ModelChoiceField(label=_("党派团体"), queryset=Organisation.objects.none(), required=False)
    special_committee = forms.ModelChoiceField(label=_("专门委员会"), queryset=Organisation.objects.none(),
                                               required=False)
    liaison_group = forms.ModelChoiceField(label=_("联络组"), queryset=Organisation.objects.none(), required=False)
    delegation = forms.ModelChoiceField(label=_("代表团"), queryset=Organisation.objects.none(), required=False)
    workplace = forms.CharField(label=_("工作单位及职务"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    active = forms.BooleanField(label=_("在任"), required=False, initial=True)

    ORG_FIELDS = {"sector": OrganisationKind.SECTOR, "party_group": OrganisationKind.PARTY_GROUP,
                  "special_committee": OrganisationKind.SPECIAL_COMMITTEE,
                  "liaison_group": OrganisationKind.LIAISON_GROUP, "delegation": OrganisationKind.DELEGATION}

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(council=council)  # type: ignore[attr-defined]
        for name, kind in self.ORG_FIELDS.items():
            self.fields[name].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                council=council, kind=kind).order_by("name")
        if council.kind != CouncilKind.NPC:
            del self.fields["delegation"]  # CPPCC members have no delegation

    @classmethod
    def initial_for(cls, member: Member) -> dict[str, Any]:
        return {"name": member.name, "term": member.term_id, "gender": member.gender,
                "sector": member.sector_id, "party_group": member.party_group_id,
                "special_committee": member.special_committee_id, "liaison_group": member.liaison_group_id,
                "delegation": member.delegation_id,
                "workplace": member.workplace, "phone": member.phone, "active": member.active}


class UnitForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    categories = forms.CharField(label=_("常办分类"), max_length=300, required=False,
                                 help_text=_("用顿号分隔，如：城乡建设、交通运输。尚无转办记录时据此推荐承办单位。"))
    doc_prefix = forms.CharField(label=_("发文机关代字"), max_length=20, required=False,
                                 help_text=_("答复函发文字号的机关代字，如「江府建」，签发时编为 江府建〔2026〕12号；"
                                             "留空则不编发文字号。"))
    doc_signer = forms.BooleanField(label=_("答复函标注签发人"), required=False,
                                    help_text=_("按上行文在发文字号右侧标注签发人姓名。"))
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class AccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    member = forms.ModelChoiceField(label=_("委员"), queryset=Member.objects.none(), required=False,
                                    help_text=_("委员账号必选"))
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=HandlingUnit.objects.none(), required=False,
                                  help_text=_("承办单位经办人、负责人必选"))
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False),
                               help_text=PASSWORD_HELP)

    def __init__(self, *args: Any, council: Council, may_create_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            council=council, profile__isnull=True).select_related("term")
        self.fields["unit"].queryset = HandlingUnit.objects.filter(  # type: ignore[attr-defined]
            council=council, active=True)
        if not may_create_admin:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMIN]  # type: ignore[attr-defined]


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput,
                               help_text=PASSWORD_HELP)
    password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class MemberImportForm(ImportForm):
    term = forms.ModelChoiceField(label=_("届"), queryset=Term.objects.none())

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(council=council)  # type: ignore[attr-defined]
