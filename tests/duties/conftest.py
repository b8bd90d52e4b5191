from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook

from lvzhi.duties import actions as act
from lvzhi.duties.models import Meeting
from tests.conftest import World


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def xlsx(rows: list[list[Any]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def meeting(world: World, *, kind: str = "plenary", title: str = "全体会议", start: datetime | None = None,
            hours: float = 3, half_days: bool = False, invite: int | None = None) -> Meeting:
    start = start or timezone.now() - timedelta(minutes=30)
    members = world.members if invite is None else world.members[:invite]
    return act.create_meeting(world.user("staff"), world.council, kind=kind, title=title, start=start,
                              end=start + timedelta(hours=hours), place="市民中心", counts_half_days=half_days,
                              invitees=members)


@pytest.fixture
def staff(world: World) -> Any:
    return world.user("staff")
