"""The importer on bad and odd input: encodings, missing columns, bad rows, binary files; and its rules."""

from __future__ import annotations

import csv
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lvzhi.members.models import Council
from lvzhi.proposals import importing
from lvzhi.proposals.importing import (
    ProposalImportError,
    classify_proposer,
    read_proposals_file,
    split_sections,
)
from lvzhi.proposals.models import Proposal

# The real data sets beside the project (../shared/data from the project root).
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
CSV_PATH = SHARED_DATA / "jszx2019-proposals" / "proposals.csv"
COLUMNS = ["personnel_name", "pkid", "proposal_number", "publish_time", "reason", "rownum", "type", "year", "content"]


def _real_rows(n: int) -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))[:n]


def _csv(rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_gbk_file_is_detected_and_read_like_the_utf8_one() -> None:
    rows = [r for r in _real_rows(350) if _gbk_ok(r)][:20]  # GBK has no no-break space: most rows lack one
    assert len(rows) == 20
    text = _csv(rows)
    gbk = text.encode("gbk")
    assert importing.decode_bytes(gbk)[1] == "gb18030"
    from_gbk = read_proposals_file(gbk)
    from_utf8 = read_proposals_file(text.encode("utf-8"))
    from_bom = read_proposals_file(text.encode("utf-8-sig"))
    assert [r.title for r in from_gbk] == [r["reason"] for r in rows] == [r.title for r in from_utf8]
    assert [r.suggestions for r in from_gbk] == [r.suggestions for r in from_utf8] == [r.suggestions for r in from_bom]


def _gbk_ok(row: dict[str, str]) -> bool:
    try:
        "".join(row.values()).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.django_db
def test_missing_column_is_named_and_nothing_is_imported(tmp_path: Path) -> None:
    rows = _real_rows(5)
    path = tmp_path / "missing.csv"
    path.write_text(_csv(rows, [c for c in COLUMNS if c not in ("reason", "content")]), encoding="utf-8")
    with pytest.raises(ProposalImportError) as err:
        read_proposals_file(path)
    assert err.value.message.startswith("缺少列：reason、content")
    with pytest.raises(CommandError, match="缺少列：reason、content"):
        call_command("import_proposals", str(path), stdout=StringIO(), stderr=StringIO())
    assert Proposal.objects.count() == 0 and not Council.objects.exists()


@pytest.mark.django_db
def test_row_with_empty_reason_is_reported_with_its_row_and_nothing_is_imported(tmp_path: Path) -> None:
    rows = _real_rows(6)
    rows[3] = {**rows[3], "reason": "  "}
    rows[4] = {**rows[4], "publish_time": "去年冬天"}
    path = tmp_path / "bad.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    with pytest.raises(ProposalImportError) as err:
        read_proposals_file(path)
    assert [(e.row, e.field) for e in err.value.errors] == [(5, "reason"), (6, "publish_time")]
    assert "第 5 行「案由」：不能为空" in err.value.message
    out, errs = StringIO(), StringIO()
    with pytest.raises(CommandError) as cmd_err:
        call_command("import_proposals", str(path), stdout=out, stderr=errs)
    assert "第 5 行「案由」：不能为空" in str(cmd_err.value) and "未导入任何提案" in str(cmd_err.value)
    assert Proposal.objects.count() == 0 and not Council.objects.exists()


@pytest.mark.django_db
def test_duplicate_pkid_and_overlong_title_are_row_errors() -> None:
    rows = _real_rows(3)
    rows[2] = {**rows[2], "pkid": rows[0]["pkid"]}
    rows[1] = {**rows[1], "reason": "关于" + "很长" * 120 + "的建议"}
    with pytest.raises(ProposalImportError) as err:
        read_proposals_file(_csv(rows).encode())
    assert [(e.row, e.field) for e in err.value.errors] == [(3, "reason"), (4, "pkid")]
    assert "与第 2 行重复" in err.value.errors[1].message


@pytest.mark.parametrize("data, expected", [
    (bytes(range(256)) * 40, "二进制文件"),
    (b"PK\x03\x04" + b"\x14\x00" * 200, "Excel 工作簿"),
    (b"%PDF-1.7\n" + bytes(range(1, 200)) * 5, "PDF"),
    ("Name,Stra\u00dfe,caf\u00e9 na\u00efve r\u00e9sum\u00e9 d\u00e9j\u00e0\n" * 20, "文件编码无法识别"),
    (b"", "文件为空"),
])
def test_binary_or_unreadable_files_are_refused_clearly(data: bytes | str, expected: str) -> None:
    raw = data.encode("latin-1") if isinstance(data, str) else data
    with pytest.raises(ProposalImportError) as err:
        read_proposals_file(raw)
    assert expected in err.value.message


@pytest.mark.django_db
def test_command_refuses_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(CommandError, match="二进制文件"):
        call_command("import_proposals", str(path), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_proposals", str(tmp_path / "nope.csv"), stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_command_imports_into_a_given_session_with_progress_and_summary(world, tmp_path: Path) -> None:
    rows = _real_rows(12)
    path = tmp_path / "twelve.csv"
    path.write_bytes(_csv(rows).encode("gb18030"))
    out, err = StringIO(), StringIO()
    call_command("import_proposals", str(path), "--session", str(world.session.pk), "--user",
                 world.user("staff").username, stdout=out, stderr=err)
    assert "共 12 条：新建 12 件，跳过 0 件（已导入）。" in out.getvalue()
    assert "12/12" in err.getvalue()  # the tqdm bar
    imported = Proposal.objects.filter(session=world.session, source="import")
    assert imported.count() == 12 and set(imported.values_list("created_by", flat=True)) == {world.user("staff").pk}
    assert not imported.filter(is_plenary=True).exists()  # 2019 dates are outside this session's window
    out = StringIO()
    call_command("import_proposals", str(path), "--council", str(world.council.pk), "--user",
                 world.user("staff").username, stdout=out, stderr=StringIO())
    assert "新建 0 件，跳过 12 件" in out.getvalue()
    with pytest.raises(CommandError, match="不属于所给机构"):
        call_command("import_proposals", str(path), "--session", str(world.session.pk), "--council", "999999",
                     stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_only_staff_may_import_and_sector_rows_need_the_plenary(world) -> None:
    from lvzhi.core.errors import ForbiddenError

    rows = read_proposals_file(_csv(_real_rows(2)).encode())
    with pytest.raises(ForbiddenError):
        importing.import_proposals(world.user("member0"), rows, session=world.session)
    sector_rows = _real_rows(2)
    sector_rows[1] = {**sector_rows[1], "personnel_name": "经济界"}
    rows = read_proposals_file(_csv(sector_rows).encode())
    assert rows[1].proposer.kind == "sector"
    with pytest.raises(ProposalImportError) as err:
        importing.import_proposals(world.user("staff"), rows, session=world.session)
    assert err.value.errors[0].row == 3 and "全体会议期间" in err.value.errors[0].message
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("name, kind, who, co", [
    ("民进江苏省委", "party_group", "民进江苏省委", 0),
    ("九三学社江苏省委", "party_group", "九三学社江苏省委", 0),
    ("省工商联", "party_group", "省工商联", 0),
    ("省台联", "peoples_org", "省台联", 0),
    ("省政协教卫体委员会", "special_committee", "省政协教卫体委员会", 0),
    ("经济界", "sector", "经济界", 0),
    ("第三委员小组", "member_group", "第三委员小组", 0),
    ("蒋沁等11人", "member", "蒋沁", 10),
    ("业成", "member", "业成", 0),
    ("李会联", "member", "李会联", 0),
    ("司徒模拟", "member", "司徒模拟", 0),
    ("阿不都·热合曼", "member", "阿不都·热合曼", 0),
    ("江苏省妇女联合会", "peoples_org", "江苏省妇女联合会", 0),
])
def test_classify_proposer(name: str, kind: str, who: str, co: int) -> None:
    proposer = classify_proposer(name)
    assert (proposer.kind, proposer.name, proposer.co_count) == (kind, who, co)


def test_split_sections_variants() -> None:
    text = ("调研情况：\u00a0\u00a0\u00a0 2015 年 4 月，我们调研了\n城市公厕。问题分析：二、问题分析：指示牌\n不足。"
            "具体建议具体建议：1.增设指示牌；\n2.建设公厕地图。")
    assert split_sections(text) == ("2015年4月，我们调研了城市公厕。", "指示牌不足。", "1.增设指示牌；\n2.建设公厕地图。")
    numbered = "一、背景\u00a0工业危废增多。\u00a0二、存在问题\u00a0处置能力不足。\u00a0三、建议\u00a01.规范市场。"
    assert split_sections(numbered) == ("工业危废增多。", "处置能力不足。", "1.规范市场。")
    leadin = "江苏戏曲种类较多。然而人才流失。为此，提出创新发展的建议：1、保持特色。"
    assert split_sections(leadin) == ("江苏戏曲种类较多。然而人才流失。", "", "为此，提出创新发展的建议：1、保持特色。")
    plain = "一段没有任何小标题也没有引出建议的文字。"
    assert split_sections(plain) == ("", "", plain)


@pytest.mark.django_db
def test_a_failure_after_some_rows_are_written_rolls_back_the_whole_file(world) -> None:
    """The file is one transaction: when the import is stopped at row 4 (here by the caller's progress
    callback refusing to go on, as a cancel button would), the three proposals already written vanish too."""
    from lvzhi.core.errors import DomainError
    from lvzhi.core.models import AuditEntry

    rows = read_proposals_file(_csv(_real_rows(6)).encode())
    audit_before = AuditEntry.objects.count()

    def stop_at_four(done: int, total: int) -> None:
        assert Proposal.objects.filter(source="import").count() == done  # really written so far
        if done == 4:
            raise DomainError("导入已取消。")

    with pytest.raises(ProposalImportError, match="未导入任何提案") as err:
        importing.import_proposals(world.user("staff"), rows, session=world.session, progress=stop_at_four)
    assert err.value.errors[0].row == rows[3].row
    assert not Proposal.objects.filter(source="import").exists()
    assert AuditEntry.objects.count() == audit_before
