"""Notifications outside the app: e-mail (each at once, or one daily digest) and SMS/instant message through
an HTTP gateway, as each user chose (:class:`~lvzhi.core.models.NotificationPreference`).

Every notification is always listed in the app (``/notifications/``); delivery outside it is extra and never
makes the act that caused it fail. Each sent or failed message is recorded as a
:class:`~lvzhi.core.models.NotificationDelivery` (one per notification and channel), so a run that is repeated
sends nothing twice and a failed one is tried again by the next run, at most :data:`MAX_ATTEMPTS` times.

- Instant messages are sent in the background (:mod:`lvzhi.core.tasks`: a thread, or the Celery worker) right
  after the notification is stored (:func:`after_notify`), and again by ``lvzhi send-notifications`` (or the
  worker's beat, every few minutes) for those that failed.
- The daily digest (``lvzhi send-notifications --digest``, or the worker's beat at ``LVZHI_DIGEST_AT``) sends each user who chose it
  one e-mail with their unread notifications not yet in a digest, grouped by kind — instead of a flood of
  single messages (the complaint users of Decidim make most).

Channels are configured in the settings: ``EMAIL_HOST`` & co. (Django's SMTP backend) and
``SMS_GATEWAY_URL`` / ``SMS_GATEWAY_TOKEN`` (JSON ``{"to": phone, "text": text}`` POSTed with a bearer token;
any 2xx answer is success). Without them nothing is sent and nothing is recorded.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lvzhi.core import tasks
from lvzhi.core.models import Notification, NotificationDelivery, NotificationPreference
from lvzhi.core.notification_kinds import kind_label

log = logging.getLogger("lvzhi.delivery")

#: A message that failed this many times is not tried again.
MAX_ATTEMPTS = 5
#: At most this many notifications are listed in one digest (the rest are counted, with the link).
DIGEST_LIST_LIMIT = 50
#: SMS text is cut to this many characters (two segments of a Chinese SMS).
SMS_MAX_CHARS = 130
#: Phone numbers the gateway accepts: mainland mobile numbers.
MOBILE_PATTERN = r"^1[3-9]\d{9}$"

Channel = NotificationDelivery.Channel


@dataclass
class DeliveryCounts:
    """What one run sent: messages accepted by the channel and messages refused (per channel)."""

    emails: int = 0
    digests: int = 0
    sms: int = 0
    failed: int = 0


def email_enabled() -> bool:
    """Whether an SMTP server is configured (``EMAIL_HOST``)."""
    return bool(settings.EMAIL_HOST)


def sms_enabled() -> bool:
    """Whether an SMS/instant-message gateway is configured (``SMS_GATEWAY_URL``)."""
    return bool(settings.SMS_GATEWAY_URL)


def email_address(pref: NotificationPreference) -> str:
    """The address for ``pref``'s user: the one given in the preferences, else the account's."""
    return pref.email or getattr(pref.user, "email", "") or ""


def absolute_url(url: str) -> str:
    """``url`` (a site path) prefixed with ``SITE_URL`` for use outside the site (an e-mail)."""
    base = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


# --- sending through the channels ------------------------------------------------------------------------------

class GatewayError(Exception):
    """The SMS gateway refused a message or could not be reached (the message says why, for the record)."""


def send_sms(phone: str, text: str) -> None:
    """POST one message to the gateway. Raises :class:`GatewayError` on a non-2xx answer, a timeout or a
    refused connection."""
    body = json.dumps({"to": phone, "text": text[:SMS_MAX_CHARS]}, ensure_ascii=False).encode()
    request = urllib.request.Request(settings.SMS_GATEWAY_URL, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        **({"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"} if settings.SMS_GATEWAY_TOKEN else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            if not 200 <= answer.status < 300:
                raise GatewayError(f"HTTP {answer.status}")
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayError(str(getattr(exc, "reason", exc))[:200]) from exc


def _record(notes: Iterable[Notification], channel: str, error: str = "") -> None:
    """Count one attempt on ``channel`` for each of ``notes``: sent now, or failed with ``error``. Two
    queries whatever the number of notes (a digest records all the notifications it listed)."""
    ids = [n.pk for n in notes]
    NotificationDelivery.objects.bulk_create(
        [NotificationDelivery(notification_id=pk, channel=channel) for pk in ids], ignore_conflicts=True)
    NotificationDelivery.objects.filter(notification_id__in=ids, channel=channel).update(
        attempts=F("attempts") + 1, sent_at=None if error else timezone.now(), error=error[:300])


def _pending(notes: QuerySet[Notification], channel: str) -> QuerySet[Notification]:
    """``notes`` without a successful delivery on ``channel`` and not yet tried :data:`MAX_ATTEMPTS` times."""
    done = NotificationDelivery.objects.filter(channel=channel).filter(
        Q(sent_at__isnull=False) | Q(attempts__gte=MAX_ATTEMPTS))
    return notes.exclude(pk__in=done.values("notification_id"))


def _quiet(pref: NotificationPreference, kind: str) -> bool:
    return kind in set(pref.quiet_kinds or [])


# --- instant messages ------------------------------------------------------------------------------------------

@tasks.background_task
def deliver_instant(notification_ids: Iterable[int] | None = None) -> DeliveryCounts:
    """Send each notification of ``notification_ids`` (``None``: every one still pending, for retries) to the
    recipients who chose instant e-mail or SMS, skipping their quiet kinds. Returns the counts.

    Failures are recorded per notification and channel, never raised.
    """
    counts = DeliveryCounts()
    notification_ids = list(notification_ids) if notification_ids is not None else None
    prefs = {p.user_id: p for p in NotificationPreference.objects.select_related("user").filter(
        Q(email_mode=NotificationPreference.Email.INSTANT) | Q(sms_mode=NotificationPreference.Sms.INSTANT))}
    if not prefs:
        return counts
    notes = Notification.objects.filter(recipient_id__in=prefs).order_by("id")
    if notification_ids is not None:
        notes = notes.filter(pk__in=list(notification_ids))
    if email_enabled():
        wanting = [uid for uid, p in prefs.items() if p.email_mode == p.Email.INSTANT and email_address(p)]
        mailer = get_connection(fail_silently=False)
        for note in _pending(notes.filter(recipient_id__in=wanting), Channel.EMAIL):
            pref = prefs[note.recipient_id]
            if _quiet(pref, note.kind):
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("【履职】%(kind)s") % {"kind": kind_label(note.kind)}
                body = "\n".join(x for x in (note.text, absolute_url(note.url)) if x)
            try:
                send_mail(subject, body, None, [email_address(pref)], connection=mailer)
            except Exception as exc:  # SMTP errors come in many classes; each is recorded, none is raised
                log.warning("notification %s: e-mail failed: %s", note.pk, exc)
                _record([note], Channel.EMAIL, str(exc) or exc.__class__.__name__)
                counts.failed += 1
            else:
                _record([note], Channel.EMAIL)
                counts.emails += 1
    if sms_enabled():
        wanting = [uid for uid, p in prefs.items() if p.sms_mode == p.Sms.INSTANT and p.phone]
        for note in _pending(notes.filter(recipient_id__in=wanting), Channel.SMS):
            pref = prefs[note.recipient_id]
            if _quiet(pref, note.kind):
                continue
            try:
                send_sms(pref.phone, _("【履职】") + note.text)
            except GatewayError as exc:
                log.warning("notification %s: SMS failed: %s", note.pk, exc)
                _record([note], Channel.SMS, str(exc))
                counts.failed += 1
            else:
                _record([note], Channel.SMS)
                counts.sms += 1
    return counts


def after_notify(notes: list[Notification]) -> None:
    """Called by :func:`lvzhi.core.audit.notify` once ``notes`` are stored: when any of their recipients chose
    instant delivery and a channel is configured, send in the background so that the act that caused them
    does not wait for the mail server or the gateway."""
    if not notes or not (email_enabled() or sms_enabled()):
        return
    wanting = NotificationPreference.objects.filter(user_id__in={n.recipient_id for n in notes}).filter(
        Q(email_mode=NotificationPreference.Email.INSTANT) | Q(sms_mode=NotificationPreference.Sms.INSTANT))
    if not wanting.exists():
        return
    tasks.start(deliver_instant, [n.pk for n in notes if n.pk])


#: Other senders run by ``lvzhi send-notifications`` to retry what failed (e.g. answers to portal followers);
#: modules register them in ``AppConfig.ready`` so core imports no case type. Each returns the number sent.
_SENDERS: dict[str, Callable[[], int]] = {}


def register_sender(name: str, sender: Callable[[], int]) -> None:
    """Register ``sender`` (no arguments, returns the number of messages sent) under ``name``."""
    _SENDERS[name] = sender


def run_senders() -> dict[str, int]:
    """Run every registered sender; ``{name: number sent}``."""
    return {name: sender() for name, sender in sorted(_SENDERS.items())}


def send_email(to: str, subject: str, body: str) -> str:
    """Send one e-mail through the configured SMTP server. Returns ``""`` when accepted, else the error text
    (never raises: the caller records it and tries again later)."""
    try:
        send_mail(subject, body, None, [to], connection=get_connection(fail_silently=False))
    except Exception as exc:  # SMTP errors come in many classes
        log.warning("e-mail failed: %s", exc)
        return str(exc) or exc.__class__.__name__
    return ""


# --- the daily digest ------------------------------------------------------------------------------------------

def digest_text(notes: list[Notification], total: int, day: datetime) -> tuple[str, str]:
    """Subject and body of one digest: ``total`` unread notifications, those of ``notes`` listed, grouped by
    kind (the kinds with most first), with the link to the unread list."""
    groups: dict[str, list[Notification]] = defaultdict(list)
    for note in notes:
        groups[note.kind].append(note)
    subject = _("【履职】您有 %(n)d 条未读通知（%(day)s）") % {"n": total, "day": f"{day:%Y-%m-%d}"}
    lines: list[str] = []
    for kind, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kind_label(kv[0]))):
        lines.append(_("%(kind)s（%(n)d 条）") % {"kind": kind_label(kind), "n": len(items)})
        for note in items:
            lines.append(f"  · {timezone.localtime(note.created_at):%m-%d %H:%M} {note.text}")
        lines.append("")
    if total > len(notes):
        lines.append(_("另有 %(n)d 条未列出。") % {"n": total - len(notes)})
    lines.append(_("查看全部未读通知：%(url)s") % {"url": absolute_url("/notifications/?unread=1")})
    return subject, "\n".join(lines)


def send_digests(now: datetime | None = None) -> DeliveryCounts:
    """Send the daily digest to every user who chose it and has an address: one e-mail listing their unread
    notifications that were in no digest yet (outside their quiet kinds; at most :data:`DIGEST_LIST_LIMIT`
    listed, the rest counted). Users with nothing new get nothing. Returns the counts; failures are recorded
    on each notification and tried again on the next run."""
    counts = DeliveryCounts()
    if not email_enabled():
        return counts
    now = now or timezone.now()
    mailer = get_connection(fail_silently=False)
    prefs = NotificationPreference.objects.select_related("user").filter(
        email_mode=NotificationPreference.Email.DAILY).order_by("user_id")
    for pref in prefs:
        address = email_address(pref)
        if not address:
            continue
        unread = Notification.objects.filter(recipient_id=pref.user_id, read_at__isnull=True, created_at__lte=now)
        unread = _pending(unread.exclude(kind__in=list(pref.quiet_kinds or [])), Channel.DIGEST)
        notes = list(unread.order_by("-created_at", "-id"))
        if not notes:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = digest_text(notes[:DIGEST_LIST_LIMIT], len(notes), timezone.localtime(now))
        try:
            send_mail(subject, body, None, [address], connection=mailer)
        except Exception as exc:  # recorded, tried again next run
            log.warning("digest for user %s failed: %s", pref.user_id, exc)
            _record(notes, Channel.DIGEST, str(exc) or exc.__class__.__name__)
            counts.failed += 1
            continue
        _record(notes, Channel.DIGEST)
        NotificationPreference.objects.filter(pk=pref.pk).update(last_digest_at=now)
        counts.digests += 1
    return counts


# --- the user's choice -------------------------------------------------------------------------------------------

PREFERENCE_FIELDS = ("email", "email_mode", "phone", "sms_mode", "quiet_kinds")


def preference_of(user_id: int) -> NotificationPreference:
    """``user_id``'s preferences (unsaved defaults, nothing outside the app, when never set)."""
    return NotificationPreference.objects.filter(user_id=user_id).first() or NotificationPreference(user_id=user_id)


def save_preference(actor: object, values: dict[str, object]) -> NotificationPreference:
    """Store ``actor``'s own delivery choices (keys of :data:`PREFERENCE_FIELDS`, validated by the form) and
    record the change in the audit log (addresses are personal data: the entry names the fields changed, not
    their values). A user can only change their own."""
    from lvzhi.core import audit

    user_id = int(getattr(actor, "pk", 0) or 0)
    pref = preference_of(user_id)
    changed = [f for f in PREFERENCE_FIELDS if getattr(pref, f) != values.get(f, getattr(pref, f))]
    for field in PREFERENCE_FIELDS:
        if field in values:
            setattr(pref, field, values[field])
    pref.save()
    if changed:
        audit.record(pref, "notification_preference_changed", actor=actor, council_id=None,
                     new={"fields": sorted(changed)})
    return pref
