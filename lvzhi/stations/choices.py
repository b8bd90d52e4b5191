"""Choice sets of the deputies' liaison stations (labels in zh-Hans, translated through Django's i18n)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationLevel(models.TextChoices):
    """中心站 (a town's or street's central station, where several deputies' groups meet) or 普通站 [C1]."""

    CENTRAL = "central", _("中心站")
    ORDINARY = "ordinary", _("普通站")


class HalfDay(models.TextChoices):
    MORNING = "am", _("上午")
    AFTERNOON = "pm", _("下午")
    EVENING = "eve", _("晚上")
    FULL_DAY = "day", _("全天")


class Outcome(models.TextChoices):
    """How a matter was triaged (WORKFLOWS.md §6 [C1]): the act that triaged it records one of these."""

    ON_SPOT = "on_spot", _("当场答复")
    TOWN = "town", _("转镇（街道）办理")
    STANDING_COMMITTEE = "committee", _("转人大常委会")
    SUGGESTION = "suggestion", _("转为代表建议")
    DECLINED = "declined", _("不予受理")


class DeclineGround(models.TextChoices):
    """Matters a station does not take up: in litigation, administrative review or arbitration [C1]."""

    LITIGATION = "litigation", _("已进入诉讼程序")
    REVIEW = "review", _("已进入行政复议程序")
    ARBITRATION = "arbitration", _("已进入仲裁程序")


class MatterSource(models.TextChoices):
    RECEPTION = "reception", _("进站接待")
    PORTAL = "portal", _("网上留言")
