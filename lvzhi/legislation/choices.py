"""Choice sets of the legislative outreach office (基层立法联系点), WORKFLOWS.md §5."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceLegislature(models.TextChoices):
    """Who sent the draft for consultation."""

    NATIONAL = "national", _("全国人大常委会法工委")
    PROVINCIAL = "provincial", _("省人大常委会法工委")
    CITY = "city", _("本市人大常委会")


class DraftStatus(models.TextChoices):
    IMPORTED = "imported", _("已导入")
    CONSULTING = "consulting", _("征求意见中")
    CONSOLIDATED = "consolidated", _("已汇总")
    REPORTED = "reported", _("已报送")


class ProvisionKind(models.TextChoices):
    CHAPTER = "chapter", _("章")
    SECTION = "section", _("节")
    ARTICLE = "article", _("条")
    PARAGRAPH = "paragraph", _("款")
    ITEM = "item", _("项")
    SUBITEM = "subitem", _("目")


class InviteeKind(models.TextChoices):
    INFORMANT = "informant", _("信息员")
    PARTNER_UNIT = "partner_unit", _("协作单位")


class CommentSource(models.TextChoices):
    INFORMANT = "informant", _("信息员")
    DEPUTY = "deputy", _("人大代表")
    PUBLIC = "public", _("社会公众（门户）")
    HEARING = "hearing", _("座谈会")
    PARTNER_UNIT = "partner_unit", _("协作单位")


class Adoption(models.TextChoices):
    PENDING = "pending", _("待反馈")
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")
