"""Helpers shared by the ``lvzhi`` management commands of several apps."""

from __future__ import annotations

from django.core.management.base import CommandError

from lvzhi.members.models import Council


def council_from_option(council_id: int | None) -> Council:
    """The council a command works on: ``--council ID`` when given, else the only council there is.

    Raises :class:`CommandError` (Chinese message) for an unknown id, or when no id is given and there is not
    exactly one council.
    """
    if council_id is not None:
        council = Council.objects.filter(pk=council_id).first()
        if council is None:
            raise CommandError(f"没有编号为 {council_id} 的机构。")
        return council
    councils = list(Council.objects.all()[:2])
    if len(councils) != 1:
        raise CommandError("请用 --council 指定机构编号。" if councils else "尚未创建机构，请先运行 lvzhi setup。")
    return councils[0]
