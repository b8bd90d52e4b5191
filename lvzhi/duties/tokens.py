"""The signed check-in token shown as a QR code at a meeting's door.

A token is ``django.core.signing`` of ``{"m": meeting id, "e": expiry (epoch seconds)}`` with a salt of its
own: it names one meeting and expires when the meeting ends (or at ``valid_until``). It cannot be forged
without the server's secret key. :func:`read_token` answers the meeting id or raises a Chinese
:class:`DomainError`: a bad or altered token, a token of another meeting, an expired one.
"""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.errors import DomainError
from lvzhi.duties.models import Meeting

SALT = "lvzhi.duties.checkin"


def make_token(meeting: Meeting, *, valid_until: datetime | None = None) -> str:
    """A check-in token for ``meeting``, valid until ``valid_until`` (default: the meeting's end)."""
    until = valid_until or meeting.end
    return signing.dumps({"m": meeting.pk, "e": int(until.timestamp())}, salt=SALT, compress=True)


def checkin_path(meeting: Meeting, token: str | None = None) -> str:
    """The path the QR code encodes: ``/duties/meetings/<pk>/checkin/?t=<token>``."""
    return f"{reverse('duties-checkin', args=[meeting.pk])}?t={token or make_token(meeting)}"


def read_token(token: str, meeting: Meeting, *, now: datetime | None = None) -> None:
    """Check ``token`` for ``meeting`` at ``now``. Raises :class:`DomainError` (field ``token``) when the
    token is not one of ours, belongs to another meeting, or has expired / the meeting has ended."""
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        raise DomainError("签到二维码无效，请重新扫描会场的二维码。", field="token") from None
    if not isinstance(data, dict) or data.get("m") != meeting.pk:
        raise DomainError("该二维码不是本次会议的签到码，请扫描本会场的二维码。", field="token")
    moment = now or timezone.now()
    if moment.timestamp() > float(data.get("e", 0)) or moment > meeting.end:
        raise DomainError("会议已结束，签到二维码已失效。", field="token")
