"""Importing the real TipDM messages (附件2, 附件3, 附件4) with the management command, and the statistics
computed from them, checked against figures computed independently from the files."""

from __future__ import annotations

import math
import statistics
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from lvzhi.core.models import AuditEntry
from lvzhi.members import actions as org
from lvzhi.opinions.models import Message
from lvzhi.opinions.queries import message_statistics
from lvzhi.opinions.signature import reply_unit_from_signature
from tests.states import state_code

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "tipdm2020c"
FILE2 = DATA / "messages_labelled_sample_附件2.xlsx"
FILE3 = DATA / "messages_with_likes_附件3.xlsx"
FILE4 = DATA / "messages_with_replies_附件4.xlsx"


def _rows(path: Path) -> list[dict]:
    """The file's rows as dicts, read directly with openpyxl (independently of the importer)."""
    wb = load_workbook(path, read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    header = [str(h).strip() for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(c not in (None, "") for c in r)]


def _norm(text: object) -> str:
    return "".join(ch for ch in str(text or "") if ch.isalnum()).lower()


def _import(path: Path, council) -> str:
    out = StringIO()
    call_command("import_messages", str(path), "--council", str(council.pk), "--no-progress", stdout=out,
                 stderr=StringIO())
    return out.getvalue()


def test_import_labelled_and_likes_files_with_duplicates_and_idempotence(world):
    rows2 = _rows(FILE2)
    out = _import(FILE2, world.council)
    created2 = Message.objects.filter(council=world.council).count()
    distinct2 = len({(_norm(r["留言主题"]), _norm(r["留言详情"])) for r in rows2})
    assert f"读取 {len(rows2)} 条" in out
    assert created2 == distinct2 and created2 < len(rows2)
    assert f"跳过重复 {len(rows2) - created2} 条" in out
    m = Message.objects.filter(council=world.council).order_by("id").first()
    assert m.channel == "imported" and m.source == "import" and m.category and m.submitted_at is not None
    assert not m.body.startswith(("\n", "\t", "\u3000"))
    assert AuditEntry.objects.filter(event="imported").count() == created2
    # Idempotent: a second run creates nothing and counts everything as duplicate.
    out = _import(FILE2, world.council)
    assert "新建 0 条" in out and f"跳过重复 {len(rows2)} 条" in out
    assert Message.objects.filter(council=world.council).count() == created2

    rows3 = _rows(FILE3)
    before = Message.objects.count()
    _import(FILE3, world.council)
    created3 = Message.objects.count() - before
    assert 0 < created3 < len(rows3)
    liked = Message.objects.filter(external_id=str(rows3[0]["留言编号"]).strip()).first()
    if liked is not None:
        assert liked.likes == int(rows3[0]["点赞数"]) and liked.dislikes == int(rows3[0]["反对数"])
    assert Message.objects.filter(likes__isnull=False).count() == created3
    # Dates stored as Excel dates and as strings both arrive.
    assert not Message.objects.filter(submitted_at__isnull=True).exists()


def test_import_replies_file_reply_times_units_and_statistics(world):
    unit = org.save_unit(None, world.council, name="A7县交通运输局")
    rows = _rows(FILE4)
    out = _import(FILE4, world.council)
    messages = Message.objects.filter(council=world.council)
    created = messages.count()
    assert f"读取 {len(rows)} 条" in out and created == len(rows) - int(out.split("跳过重复 ")[1].split(" 条")[0])
    assert created > 2700
    replied = messages.filter(reply_source="import")
    assert replied.count() == created and not replied.filter(replied_at__isnull=True).exists()
    assert replied.filter(state__code=state_code("closed")).count() == created
    # The replying unit is read from the signature for about one reply in ten on this file.
    with_unit = messages.exclude(reply_unit_name="")
    expected_sig = sum(1 for r in rows if reply_unit_from_signature(str(r["答复意见"] or "")))
    assert with_unit.count() >= 200 and abs(with_unit.count() - expected_sig) <= expected_sig * 0.05
    assert messages.filter(reply_unit=unit).count() == messages.filter(reply_unit_name=unit.name).count() > 0
    assert all(unit.name in m.reply_text for m in messages.filter(reply_unit=unit))

    # Statistics, checked against values computed here from the stored records.
    stats = message_statistics(world.council)
    days = sorted((m.replied_at - m.submitted_at).total_seconds() / 86400 for m in replied
                  if (m.replied_at - m.submitted_at).total_seconds() >= 0)
    assert stats["received"] == created and stats["answered"] == created
    assert stats["by_channel"]["imported"]["count"] == created
    assert stats["answer_days_median"] == pytest.approx(statistics.median(days))
    assert stats["answer_days_p90"] == pytest.approx(days[math.ceil(0.9 * len(days)) - 1])
    assert 5 < stats["answer_days_median"] < 20  # the README's "median reply 11 days"
    top_unit, top_count = stats["top_units"][0]
    names = [m.reply_unit.name if m.reply_unit_id else m.reply_unit_name for m in replied]
    assert top_count == max(names.count(n) for n in set(names) if n) and names.count(top_unit) == top_count
    # A date range narrows the figures.
    first = min(m.submitted_at for m in replied)
    in_2019 = message_statistics(world.council, first.date().replace(year=2019, month=1, day=1),
                                 first.date().replace(year=2019, month=12, day=31))
    assert in_2019["received"] == sum(1 for m in replied if timezone.localtime(m.submitted_at).year == 2019)


def test_import_errors_are_reported(world, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        _import(tmp_path / "missing.xlsx", world.council)
    with pytest.raises(CommandError, match="没有编号"):
        call_command("import_messages", str(FILE2), "--council", "99999", "--no-progress", stdout=StringIO())
