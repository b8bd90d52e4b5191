"""Choice sets of the proposal domain (zh-Hans labels through Django's i18n)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposerKind(models.TextChoices):
    """Who submits [R1][R2]. Sectors and member groups only during the plenary."""

    MEMBER = "member", _("委员个人")
    JOINT = "joint", _("委员联名")
    PARTY_GROUP = "party_group", _("党派团体")
    PEOPLES_ORGANISATION = "peoples_org", _("人民团体")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
    SECTOR = "sector", _("界别")
    MEMBER_GROUP = "member_group", _("委员小组")


ORGANISATION_PROPOSER_KINDS = {ProposerKind.PARTY_GROUP, ProposerKind.PEOPLES_ORGANISATION,
                               ProposerKind.SPECIAL_COMMITTEE, ProposerKind.SECTOR, ProposerKind.MEMBER_GROUP}
PLENARY_ONLY_KINDS = {ProposerKind.SECTOR, ProposerKind.MEMBER_GROUP}


class NotFiledGround(models.TextChoices):
    """The statutory grounds for not filing a proposal [R3]."""

    STATE_SECRET = "state_secret", _("涉及党和国家秘密")
    OUTSIDE_REMIT = "outside_remit", _("不属于政协履职范围")
    PARTY_INTERNAL = "party_internal", _("涉及党派团体内部事务")
    LITIGATION = "litigation", _("属于诉讼、仲裁、行政复议等法定程序处理的事项")
    ACADEMIC = "academic", _("属于学术探讨")
    PERSONAL = "personal", _("涉及提案者个人及亲属事务")
    PROMOTION = "promotion", _("为单位或个人宣传推介产品")
    ACCUSATION = "accusation", _("对具体人员的检举揭发")
    VAGUE = "vague", _("内容空泛、无具体建议")


class CoSignStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已拒绝")
    EXPIRED = "expired", _("已过期")


class AssignmentRole(models.TextChoices):
    """How a unit takes part [R9]: alone, lead, co-handling (opinion to the lead unit), or separately."""

    SOLE = "sole", _("单办")
    LEAD = "lead", _("主办")
    CO = "co", _("会办")
    SEPARATE = "separate", _("分办")


REPLYING_ROLES = {AssignmentRole.SOLE, AssignmentRole.LEAD, AssignmentRole.SEPARATE}


class AssignmentStatus(models.TextChoices):
    HANDLING = "handling", _("办理中")
    SENT_BACK = "sent_back", _("已申退")
    OPINION_SENT = "opinion_sent", _("已送会办意见")
    REPLIED = "replied", _("已答复")
    WITHDRAWN = "withdrawn", _("已撤销")


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_SIGNOFF = "pending_signoff", _("待负责人签发")
    SENT = "sent", _("已签发")


class Satisfaction(models.TextChoices):
    """Satisfaction evaluation (满意度测评) [R12]."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


#: The longest 情况 / 分析 / 具体建议 accepted, in characters. The 350 real proposals of 2019 hold at most 4,812
#: characters in all (median 1,537); 10,000 per section leaves room and keeps one member's submission from
#: holding the database (a probe submitted three 100,000-character sections).
SECTION_MAX = 10_000
