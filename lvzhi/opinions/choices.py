"""Choice sets of public-opinion reports and citizens' messages (zh-Hans labels through Django's i18n)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmitterKind(models.TextChoices):
    """Who submits a public-opinion report (社情民意信息) [S2][S3] (WORKFLOWS §3)."""

    MEMBER = "member", _("委员")
    PARTY_GROUP = "party_group", _("党派团体")
    PEOPLES_ORGANISATION = "peoples_org", _("人民团体")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
    SECTOR = "sector", _("界别")
    MEMBER_GROUP = "member_group", _("委员小组")
    INFORMANT = "informant", _("信息员")


#: Submitter kinds that name an organisation (the value equals the ``OrganisationKind`` value).
ORGANISATION_SUBMITTER_KINDS = {SubmitterKind.PARTY_GROUP, SubmitterKind.PEOPLES_ORGANISATION,
                                SubmitterKind.SPECIAL_COMMITTEE, SubmitterKind.SECTOR, SubmitterKind.MEMBER_GROUP}


class IssueKind(models.TextChoices):
    """An issue (期) of the 《社情民意》 bulletin carries one report (专刊) or several (综合)."""

    SINGLE = "single", _("专刊（单篇）")
    COMBINED = "combined", _("综合（多篇）")


class RecipientKind(models.TextChoices):
    """Where a published report is sent (报送)."""

    PARTY_COMMITTEE = "party_committee", _("党委")
    GOVERNMENT = "government", _("政府")
    HIGHER_CPPCC = "higher_cppcc", _("上级政协")
    OTHER = "other", _("其他")


class InstructionLevel(models.TextChoices):
    """The level of the leader who gave an instruction (批示); counted per level (WORKFLOWS §3)."""

    DISTRICT = "district", _("区（县）级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")


class ForwardStatus(models.TextChoices):
    HANDLING = "handling", _("办理中")
    PENDING_SIGNOFF = "pending_signoff", _("答复待签发")
    ANSWERED = "answered", _("已答复")


class Channel(models.TextChoices):
    """How a citizen's message reached the council."""

    PORTAL = "portal", _("网上留言")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ENTERPRISE = "enterprise", _("企业问题")
    IMPORTED = "imported", _("导入")


class ReplyStatus(models.TextChoices):
    NONE = "", _("未答复")
    DRAFT = "draft", _("草稿")
    PENDING_SIGNOFF = "pending_signoff", _("待负责人签发")
    SENT = "sent", _("已答复")


class Rating(models.TextChoices):
    """The citizen's rating of a reply (满意度测评)."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
