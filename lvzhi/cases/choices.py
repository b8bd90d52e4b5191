"""Choice sets of the handling core (zh-Hans labels through Django's i18n)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberScope(models.TextChoices):
    """What a case-number sequence restarts with."""

    TERM = "term", _("每届")
    SESSION = "session", _("每次会议")
    YEAR = "year", _("每年")


class JointReplyMode(models.TextChoices):
    """How a joint case is answered [N1]: each joint submitter, or through the leading one."""

    EACH = "each", _("答复每位代表")
    LEADING = "leading", _("通过领衔代表答复")


class AssignmentRole(models.TextChoices):
    """How a unit takes part: alone, lead, co-handling (opinion to the lead unit), or separately."""

    SOLE = "sole", _("单办")
    LEAD = "lead", _("主办")
    CO = "co", _("会办")
    SEPARATE = "separate", _("分办")


REPLYING_ROLES = (AssignmentRole.SOLE, AssignmentRole.LEAD, AssignmentRole.SEPARATE)


class AssignmentStatus(models.TextChoices):
    HANDLING = "handling", _("办理中")
    SENT_BACK = "sent_back", _("已退回交办")
    OPINION_SENT = "opinion_sent", _("已送会办意见")
    REPLIED = "replied", _("已答复")
    WITHDRAWN = "withdrawn", _("已撤销")


class ReplyKind(models.TextChoices):
    ANSWER = "answer", _("答复")
    FINAL = "final", _("办结答复")  # the second answer to a "being resolved" (B) reply


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_SIGNOFF = "pending_signoff", _("待负责人签发")
    RETURNED = "returned", _("退回经办人修改")
    SIGNED = "signed", _("已签发")


class ContactWay(models.TextChoices):
    """How a unit talked with the submitter before replying (面商)."""

    MEETING = "meeting", _("当面沟通")
    VISIT = "visit", _("走访")
    SEMINAR = "seminar", _("座谈")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("网络")


class InstructionStatus(models.TextChoices):
    PENDING = "pending", _("待落实")
    IMPLEMENTING = "implementing", _("落实中")
    DONE = "done", _("已落实")
