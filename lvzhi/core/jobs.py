"""Progress of a background job that writes inside one long transaction.

Such a job cannot show its progress through its ``Job`` row: the row's updates would only be seen at the
commit (PostgreSQL) or would wait for the transaction's write lock (SQLite). So the progress goes through
Django's cache: in the embedded mode the job runs in a thread of the serving process and its status view reads
the process's cache; in the production mode (``LVZHI_REDIS_URL``) the worker writes it to Redis, where every
web process reads it.

A new job forgets any figures left under its id: a database restored from a backup, or a test database
recreated against the same Redis, numbers its jobs again from where the old figures were written.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_save
from django.dispatch import receiver

from lvzhi.core.models import Job

_TTL_SECONDS = 24 * 3600


def _key(job_pk: int) -> str:
    return f"lvzhi:job-progress:{job_pk}"


@receiver(post_save, sender=Job)
def _forget_stale_progress(sender: type[Job], instance: Job, created: bool, **kwargs: Any) -> None:
    if created:
        cache.delete(_key(instance.pk))


def report_progress(job_pk: int, done: int, total: int) -> None:
    """Record that job ``job_pk`` has done ``done`` of ``total`` items (counts, not percent)."""
    cache.set(_key(job_pk), (done, total), _TTL_SECONDS)


def live_progress(job: Job) -> tuple[int, int]:
    """``(done, total)`` of ``job``: the live figures while it runs, the stored ones once it has finished."""
    if job.status in (Job.Status.PENDING, Job.Status.RUNNING):
        value = cache.get(_key(job.pk))
        if value is not None:
            return int(value[0]), int(value[1])
    return job.done, job.total
