"""Web forms of the liaison stations (Django forms parse and label; the writers in
:mod:`lvzhi.stations.actions` check the rules and say what is wrong)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lvzhi.members.choices import Role
from lvzhi.members.models import Council, Member
from lvzhi.stations.choices import DeclineGround, HalfDay, StationLevel

DATE = forms.DateInput(attrs={"type": "date"})


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class StationForm(forms.Form):
    name = forms.CharField(label=_("站名"), max_length=100)
    level = forms.ChoiceField(label=_("类型"), choices=StationLevel.choices, widget=forms.RadioSelect,
                              initial=StationLevel.ORDINARY)
    district = forms.CharField(label=_("所在区（县）"), max_length=50)
    town = forms.CharField(label=_("所在镇（街道）"), max_length=50)
    address = forms.CharField(label=_("地址"), max_length=200)
    opening_hours = forms.CharField(label=_("开放时间"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    deputies = MemberChoice(label=_("进站代表"), queryset=Member.objects.none(), required=False,
                            widget=forms.CheckboxSelectMultiple)
    staff = forms.ModelMultipleChoiceField(label=_("联络站工作人员账号"), queryset=get_user_model().objects.none(),
                                           required=False, widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = Member.objects.filter(council=council, active=True).order_by("name")  # type: ignore[attr-defined]
        users = get_user_model().objects.filter(
            profile__council=council, profile__role__in=[Role.STAFF, Role.UNIT_CLERK, Role.UNIT_LEADER, Role.ADMIN],
        ).distinct().order_by("username")
        self.fields["staff"].queryset = users  # type: ignore[attr-defined]
        self.fields["staff"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: next((p.display_name for p in u.profiles.all() if p.display_name), u.get_username()))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class TurnForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE)
    half_day = forms.ChoiceField(label=_("时段"), choices=HalfDay.choices, widget=forms.RadioSelect)
    hours = forms.CharField(label=_("具体时间"), max_length=50, required=False)
    topic = forms.CharField(label=_("接待主题"), max_length=100, required=False)
    deputies = MemberChoice(label=_("值班代表"), queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple,
                            required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = Member.objects.filter(council=council, active=True).order_by("name")  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReferForm(forms.Form):
    to = forms.ChoiceField(label=_("转交"), widget=forms.RadioSelect,
                           choices=[("town", _("转镇（街道）办理")), ("committee", _("转人大常委会"))])
    referred_to = forms.CharField(label=_("转交单位"), max_length=100, required=False)


class ConvertForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("领衔代表"), queryset=Member.objects.none())
    title = forms.CharField(label=_("建议标题"), max_length=200, required=False,
                            help_text=_("如“关于……的建议”"))

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies  # type: ignore[attr-defined]
        self.fields["deputy"].label_from_instance = lambda m: m.name  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    ground = forms.ChoiceField(label=_("不予受理情形"), choices=DeclineGround.choices, widget=forms.RadioSelect,
                               required=False)
    reason = forms.CharField(label=_("理由（告知群众）"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ResolveForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    solved = forms.BooleanField(label=_("问题已解决"), required=False, initial=True)


class FeedbackForm(forms.Form):
    to_citizen = forms.CharField(label=_("向群众反馈的情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    to_deputy = forms.CharField(label=_("向代表反馈的情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("主题"), max_length=100)
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
