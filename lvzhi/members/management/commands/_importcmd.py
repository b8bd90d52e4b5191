"""Shared parts of the ``import_members`` and ``import_units`` commands: a tqdm progress bar per phase and
the error report (one line per problem, Excel row number and column first)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lvzhi.members.importing import ImportReport
from lvzhi.members.models import Council


class ProgressBars:
    """A ``progress(phase, done, total)`` callback drawing one tqdm bar per phase on ``stream``."""

    def __init__(self, stream: Any, disable: bool = False) -> None:
        self.stream = stream
        self.disable = disable
        self.bars: dict[str, tqdm] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        bar = self.bars.get(phase)
        if bar is None:
            bar = self.bars[phase] = tqdm(total=total, desc=phase, unit="行", file=self.stream,
                                          disable=self.disable, leave=True)
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def council_arg(value: str) -> Council:
    """The council with id ``value``; :class:`CommandError` when there is none."""
    try:
        return Council.objects.get(pk=int(value))
    except (Council.DoesNotExist, ValueError):
        raise CommandError(f"没有编号为 {value} 的机构。") from None


def actor_arg(username: str | None) -> Any:
    """The account named ``username`` (recorded as the actor), or ``None`` (the system)."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"没有用户名为「{username}」的账号。") from None


def finish(command: BaseCommand, report: ImportReport) -> None:
    """Print the report: counts on stdout, or every problem on stderr and a non-zero exit (CommandError)."""
    if report.errors:
        for error in report.errors:
            command.stderr.write(str(error))
        raise CommandError(report.summary())
    command.stdout.write(command.style.SUCCESS(report.summary()))
