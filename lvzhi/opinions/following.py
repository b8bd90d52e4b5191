"""Citizens who follow their message by its tracking code and are told by e-mail when it is answered (issue 11,
item 9; the portal's "tell me when answered", as FixMyStreet and CONSUL have it, without an account).

- :func:`follow_message` is the writer: the citizen gives the tracking code and an e-mail address on the
  lookup page. At most :data:`MAX_FOLLOWERS` addresses per message; the same address twice is one follow.
- When the unit's reply is signed off, :func:`notify_followers` sends each address one e-mail with the link to
  the lookup page (the code in it), in the background; failures are retried by ``lvzhi send-notifications``
  (at most :data:`lvzhi.core.delivery.MAX_ATTEMPTS` times). Once sent, the address is blanked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from lvzhi.core import audit, delivery, tasks
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.opinions.choices import ReplyStatus
from lvzhi.opinions.models import CodeHolder, Message, MessageFollow

#: Addresses that may follow one message.
MAX_FOLLOWERS = 3


@transaction.atomic
def follow_message(tracking_code: str, *, email: str) -> MessageFollow:
    """Record that ``email`` wants to be told when the message of ``tracking_code`` is answered.

    Raises :class:`NotFoundError` for an unknown code; :class:`DomainError` (field ``email``) for an invalid
    address, a message already answered (the answer is on the page) or one with :data:`MAX_FOLLOWERS`
    addresses already. Returns the follow (the existing one when the address follows already).
    """
    holder = CodeHolder(tracking_code)
    message = Message.objects.select_for_update().filter(tracking_code=holder.tracking_code).first() \
        if holder.tracking_code else None
    if message is None:
        raise NotFoundError("未找到该查询码对应的留言。")
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise DomainError("请填写有效的电子邮箱地址。", field="email") from exc
    if message.reply_status == ReplyStatus.SENT:
        raise DomainError("该留言已答复，请直接在本页查看答复。", field="email")
    existing = message.follows.filter(email=address, notified_at__isnull=True).first()
    if existing:
        return existing
    if message.follows.filter(notified_at__isnull=True).count() >= MAX_FOLLOWERS:
        raise DomainError(f"每条留言最多 {MAX_FOLLOWERS} 个邮箱订阅答复通知。", field="email")
    follow = MessageFollow.objects.create(message=message, email=address)
    audit.record(message, "followed", actor=None, comment="订阅答复邮件通知")
    return follow


def after_reply(message: Message) -> None:
    """Called by the reply's sign-off: send the followers' notices once the transaction commits."""
    if delivery.email_enabled() and message.follows.filter(notified_at__isnull=True).exists():
        tasks.start(notify_followers, message.pk)


def _notice(message: Message) -> tuple[str, str]:
    link = delivery.absolute_url(reverse("portal-lookup") + "?" + urlencode({"code": message.tracking_code}))
    subject = f"【留言答复】您关注的留言已答复：{message.title[:40]}"
    when = timezone.localtime(message.replied_at) if message.replied_at else timezone.localtime()
    body = (f"您的留言「{message.title}」已于 {when:%Y-%m-%d} 答复。\n"
            f"请凭查询码 {message.tracking_code} 查看答复并评价：{link}\n"
            "本邮件由系统自动发送，请勿回复。")
    return subject, body


@tasks.background_task
def notify_followers(message_id: int | None = None) -> int:
    """Send the answered notice to every pending follower (of ``message_id``, or of every answered message).
    Returns the number of e-mails accepted by the SMTP server."""
    pending = MessageFollow.objects.select_related("message").filter(
        notified_at__isnull=True, attempts__lt=delivery.MAX_ATTEMPTS, message__reply_status=ReplyStatus.SENT
    ).exclude(email="")
    if message_id is not None:
        pending = pending.filter(message_id=message_id)
    sent = 0
    for follow in pending:
        subject, body = _notice(follow.message)
        error = delivery.send_email(follow.email, subject, body)
        if error:
            MessageFollow.objects.filter(pk=follow.pk).update(attempts=follow.attempts + 1)
            continue
        MessageFollow.objects.filter(pk=follow.pk).update(notified_at=timezone.now(), email="",
                                                          attempts=follow.attempts + 1)
        sent += 1
    return sent
