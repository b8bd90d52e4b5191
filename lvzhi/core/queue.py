"""The Celery application of the queue mode (``LVZHI_REDIS_URL`` set; see :mod:`lvzhi.core.tasks`).

Broker: Redis at ``LVZHI_REDIS_URL``. Results are not kept (progress and results live in ``core.Job`` rows).
Tasks:

- ``lvzhi.run`` ``(name, args)``: run the background function registered as ``name`` (:func:`lvzhi.core.tasks.run`);
- ``lvzhi.remind``: :func:`lvzhi.core.reminders.send_reminders` for today (what ``lvzhi remind`` does);
- ``lvzhi.send_notifications`` / ``lvzhi.send_digests``: retries of e-mail and SMS every 5 minutes, and the
  daily digest at ``LVZHI_DIGEST_AT`` (``08:00``) (:mod:`lvzhi.core.delivery`);
- ``lvzhi.similar_indexes``: rebuild and store every council's similar-case index
  (:func:`lvzhi.smart.service.rebuild_stored_indexes`).

Periodic schedule (``lvzhi beat``, or ``lvzhi worker --beat`` on exactly one machine), council time
(Asia/Shanghai): reminders every day at ``LVZHI_REMIND_AT`` (``07:30``); similar-case indexes every
``LVZHI_SIMILAR_REBUILD_SECONDS`` (6 h).
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")

app = Celery("lvzhi")


def _configure() -> None:
    from django.conf import settings

    hour, _, minute = str(getattr(settings, "LVZHI_REMIND_AT", "07:30")).partition(":")
    dhour, _, dminute = str(getattr(settings, "LVZHI_DIGEST_AT", "08:00")).partition(":")
    app.conf.update(
        broker_url=settings.LVZHI_REDIS_URL or None,
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        task_default_queue=getattr(settings, "LVZHI_QUEUE_NAME", "lvzhi"),
        task_serializer="json", accept_content=["json"],
        worker_prefetch_multiplier=1,  # long jobs: a worker takes one message at a time
        timezone=settings.TIME_ZONE, enable_utc=True,
        beat_schedule={
            "reminders": {"task": "lvzhi.remind", "schedule": crontab(hour=int(hour), minute=int(minute or 0))},
            "notifications": {"task": "lvzhi.send_notifications", "schedule": 300.0},
            "digest": {"task": "lvzhi.send_digests",
                       "schedule": crontab(hour=int(dhour), minute=int(dminute or 0))},
            "similar-indexes": {"task": "lvzhi.similar_indexes",
                                "schedule": float(getattr(settings, "LVZHI_SIMILAR_REBUILD_SECONDS", 6 * 3600))},
        },
    )


_configure()


@app.task(name="lvzhi.run")
def run_task(name: str, args: list[Any]) -> None:
    """Run one registered background function (see :func:`lvzhi.core.tasks.start`)."""
    from lvzhi.core.tasks import run

    run(name, args)


@app.task(name="lvzhi.remind")
def remind_task() -> int:
    """Send today's reminders; returns how many were sent (also logged)."""
    from lvzhi.core.reminders import send_reminders

    return send_reminders()


@app.task(name="lvzhi.similar_indexes")
def similar_indexes_task() -> int:
    """Rebuild and store the similar-case index of every council; returns how many were stored."""
    from lvzhi.smart.service import rebuild_stored_indexes

    return rebuild_stored_indexes()


@app.task(name="lvzhi.send_notifications")
def send_notifications_task() -> int:
    """Retry the e-mails and SMS that failed and run the registered senders (``lvzhi send-notifications``)."""
    from lvzhi.core.delivery import deliver_instant, email_enabled, run_senders, sms_enabled

    if not (email_enabled() or sms_enabled()):
        return 0
    counts = deliver_instant()
    return counts.emails + counts.sms + sum(run_senders().values())


@app.task(name="lvzhi.send_digests")
def send_digests_task() -> int:
    """Send the daily digests (``lvzhi send-notifications --digest``); returns how many were sent."""
    from lvzhi.core.delivery import send_digests

    return send_digests().digests
