"""Choice sets of deputies' suggestions (zh-Hans labels through Django's i18n)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.members.choices import OrganisationKind


class Period(models.TextChoices):
    """When a suggestion was raised [N9]: up to the session's closing day, or between sessions."""

    SESSION = "session", _("大会期间")
    INTERIM = "interim", _("闭会期间")


class DeputyRole(models.TextChoices):
    """A deputy's part in a suggestion: the leading deputy (领衔) or a seconding one (附议)."""

    LEADING = "leading", _("领衔代表")
    SECONDING = "seconding", _("附议代表")


class DeputyStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已拒绝")
    EXPIRED = "expired", _("已过期")


#: The kind of ``members.Organisation`` that is a delegation (代表团).
DELEGATION_KIND = OrganisationKind.DELEGATION
