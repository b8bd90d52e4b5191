"""Cross-cutting records: the append-only audit log, in-app notifications and file attachments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    """Unit of a time limit. Working days follow the statutory calendar (``lvzhi.core.calendar``)."""

    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    MONTHS = "months", _("个月")


class AuditEntry(models.Model):
    """One recorded act: who did what to which object, when, with the state before and after.

    Append-only: nothing updates or deletes an entry. Timelines, the duty record and the statistics are
    read from here. ``council_id`` is kept on every entry so the log can be partitioned by council.
    """

    council = models.ForeignKey("members.Council", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("机构"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    event = models.CharField(_("事件"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=64, blank=True)
    to_state = models.CharField(_("新状态"), max_length=64, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    old_values = models.JSONField(_("原值"), default=dict, blank=True)
    new_values = models.JSONField(_("新值"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"]),
                   models.Index(fields=["council", "event", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event}"


class Notification(models.Model):
    """An in-app message to one user (assignment, send-back, reply, rating, approaching deadline)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("接收人"))
    kind = models.CharField(_("类型"), max_length=32)
    text = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    """How one user wants notifications delivered outside the app (:mod:`lvzhi.core.delivery`).

    In the app every notification is always listed. Outside it: by e-mail each at once, or one daily digest
    of those still unread, or not at all (the default); by SMS/instant message each at once through the
    council's gateway, or not at all (the default). ``quiet_kinds`` lists the kinds (``Notification.kind``)
    the user keeps inside the app only.
    """

    class Email(models.TextChoices):
        OFF = "off", _("不发送")
        INSTANT = "instant", _("每条即时发送")
        DAILY = "daily", _("每日汇总一封")

    class Sms(models.TextChoices):
        OFF = "off", _("不发送")
        INSTANT = "instant", _("每条即时发送")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name=_("用户"))
    email = models.EmailField(_("电子邮箱"), blank=True)
    email_mode = models.CharField(_("邮件通知"), max_length=10, choices=Email.choices, default=Email.OFF)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    sms_mode = models.CharField(_("短信通知"), max_length=10, choices=Sms.choices, default=Sms.OFF)
    quiet_kinds = models.JSONField(_("仅在系统内提示的类型"), default=list, blank=True)
    last_digest_at = models.DateTimeField(_("上次汇总时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}/{self.sms_mode}"


class NotificationDelivery(models.Model):
    """One notification sent (or tried) outside the app: by e-mail, alone or in a digest, or by SMS.

    A row exists once the channel accepted the message (``sent_at``) or refused it (``error``); a failed
    delivery is tried again on the next run, at most :data:`lvzhi.core.delivery.MAX_ATTEMPTS` times.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        DIGEST = "digest", _("每日汇总邮件")
        SMS = "sms", _("短信")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("通知发送记录")
        verbose_name_plural = _("通知发送记录")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel}"


class SavedFilter(models.Model):
    """A list's filters saved by a user under a name (e.g. 「本届重点提案」), to open that list so again:
    ``path`` is the list page, ``query`` its query string without the page number."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    path = models.CharField(_("列表"), max_length=200)
    name = models.CharField(_("名称"), max_length=40)
    query = models.CharField(_("筛选条件"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("保存的筛选")
        verbose_name_plural = _("保存的筛选")
        ordering = ["path", "name"]
        constraints = [models.UniqueConstraint(fields=["user", "path", "name"], name="unique_saved_filter_name")]

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    """A PDF or Word file attached to a proposal, reply or opinion (type and size checked on upload)."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal API token (``Authorization: Bearer <key>``). Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=50)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    """A long-running import or export run in the background, with its progress for the page to poll."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=40)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    council = models.ForeignKey("members.Council", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.TextField(_("结果说明"), blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        """Progress in percent (0–100)."""
        return int(100 * self.done / self.total) if self.total else (100 if self.status == "done" else 0)


class PasswordHistory(models.Model):
    """A password an account has used (its hash, as Django stores passwords), kept so it is not reused and so
    its age can be checked (:mod:`lvzhi.core.passwords`). Only the last few per account are kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"
