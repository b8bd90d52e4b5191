"""Forms of the core pages: the user's notification preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from lvzhi.core.delivery import MOBILE_PATTERN, email_enabled, sms_enabled
from lvzhi.core.models import NotificationPreference
from lvzhi.core.notification_kinds import KIND_LABELS


class NotificationPreferenceForm(forms.ModelForm):
    """E-mail and SMS delivery of one's own notifications; quiet kinds stay in the app only."""

    phone = forms.CharField(label=_("手机号码"), required=False, max_length=11, validators=[
        RegexValidator(MOBILE_PATTERN, _("手机号码应为 11 位数字，以 1 开头。"))])
    quiet_kinds = forms.MultipleChoiceField(
        label=_("以下类型只在系统内提示，不发邮件或短信"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=sorted(((k, v) for k, v in KIND_LABELS.items()), key=lambda kv: str(kv[1])))

    class Meta:
        model = NotificationPreference
        fields = ["email_mode", "email", "sms_mode", "phone", "quiet_kinds"]
        widgets = {"email_mode": forms.RadioSelect, "sms_mode": forms.RadioSelect}

    def __init__(self, *args: Any, account_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account_email = account_email
        self.fields["email"].help_text = _("不填则使用账号登记的邮箱。") if account_email else ""
        if not email_enabled():
            self.fields["email_mode"].help_text = _("本系统尚未配置邮件服务器，选择后暂不会发送。")
        if not sms_enabled():
            self.fields["sms_mode"].help_text = _("本系统尚未配置短信网关，选择后暂不会发送。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email_mode") != NotificationPreference.Email.OFF and not (data.get("email") or self.account_email):
            self.add_error("email", _("选择邮件通知时须填写电子邮箱。"))
        if data.get("sms_mode") != NotificationPreference.Sms.OFF and not data.get("phone"):
            self.add_error("phone", _("选择短信通知时须填写手机号码。"))
        return data
