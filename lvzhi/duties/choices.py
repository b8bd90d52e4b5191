"""Choice sets of meetings, attendance and scoring (zh-Hans labels through Django's i18n)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """Kinds of meetings and activities a council holds (WORKFLOWS §7; the seeds' 会议 and 活动)."""

    PLENARY = "plenary", _("全体会议")
    STANDING = "standing", _("常委会会议")
    CHAIR = "chair", _("主席会议")
    CONSULTATION = "consultation", _("专题协商会")
    INSPECTION = "inspection", _("视察")
    RESEARCH = "research", _("调研")
    TRAINING = "training", _("培训")
    FORUM = "forum", _("座谈")
    SECTOR = "sector", _("联系界别群众活动")
    WELFARE = "welfare", _("社会公益活动")


class Response(models.TextChoices):
    """An invitee's answer to the invitation."""

    PENDING = "pending", _("未答复")
    CONFIRMED = "confirmed", _("确认出席")
    LEAVE = "leave", _("请假")


class LeaveStatus(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class Outcome(models.TextChoices):
    """Attendance outcome of an invitee (per half-day where the meeting counts half-days)."""

    PRESENT = "present", _("出席")
    EXCUSED = "excused", _("请假")
    UNEXCUSED = "unexcused", _("缺席")
    PENDING = "pending", _("未开始")


class CheckInMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    STAFF = "staff", _("工作人员勾选")
    IMPORT = "import", _("导入签到表")


class ContributionKind(models.TextChoices):
    """Speeches and written submissions (大会发言, 委员通道, 书面发言)."""

    PLENARY_SPEECH = "plenary_speech", _("大会发言")
    MEMBERS_CHANNEL = "members_channel", _("委员通道")
    WRITTEN = "written", _("书面发言")


class Split(models.TextChoices):
    """How a rule item shares a joint case's points between its first proposer (leading deputy) and the
    co-signers (seconding deputies)."""

    FULL = "full", _("每人全额计分")
    FIRST_ONLY = "first_only", _("仅第一提案人（领衔代表）计分")
    CO_SHARE = "co_share", _("第一提案人全额，联名人按比例")
    HALF_SPLIT = "half_split", _("第一提案人折半，其余联名人均摊另一半")


class ConsultationForm(models.TextChoices):
    """Forms of consultation (协商形式) in a year's consultation plan (the seeds' 专题协商, 对口协商,
    提案办理协商, 委员议事厅, 云端协商)."""

    SPECIAL = "special", _("专题协商")
    COUNTERPART = "counterpart", _("对口协商")
    SECTOR = "sector", _("界别协商")
    PROPOSAL = "proposal", _("提案办理协商")
    HALL = "hall", _("委员议事厅")
    ONLINE = "online", _("网络（云端）协商")


class TopicRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    MEMBER = "member", _("参加")
