from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from lvzhi.opinions.sources import (
    SourceFormatError,
    SourceMessage,
    clean_text,
    detect_shape,
    parse_datetime,
    read_labelled,
    read_messages,
    read_proposals,
    read_taxonomy,
)


@pytest.mark.parametrize(
    ("name", "shape", "rows"),
    [
        ("messages_labelled_sample_附件2.xlsx", "labelled", 400),
        ("messages_with_likes_附件3.xlsx", "likes", 4326),
        ("messages_with_replies_附件4.xlsx", "replies", 2816),
        ("messages_unlabelled_测试数据.xlsx", "unlabelled", 2801),
    ],
)
def test_reader_shapes(tipdm: Path, name: str, shape: str, rows: int) -> None:
    messages, report = read_messages(tipdm / name)
    assert report.shape == shape
    assert report.rows_read == rows == len(messages)
    assert all(isinstance(m, SourceMessage) for m in messages)
    assert all(m.title and m.body for m in messages)
    # whitespace quirks: no body starts or ends with \n, \t or a full-width space
    assert not any(m.body[0] in "\n\t\u3000 " or m.body[-1] in "\n\t\u3000 " for m in messages)
    assert report.stripped_whitespace > 0
    assert not report.unparsable_dates
    assert all(isinstance(m.submitted_at, datetime) for m in messages)
    if shape == "labelled":
        assert {m.category for m in messages} <= {
            "城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生"}
    if shape == "unlabelled":
        assert all(m.category is None for m in messages)
    if shape == "replies":
        assert all(m.reply for m in messages)
        assert all(m.replied_at is not None and m.replied_at >= m.submitted_at for m in messages[:100])


def test_likes_file_quirks(likes_messages) -> None:  # type: ignore[no-untyped-def]
    messages, report = likes_messages
    # 留言时间 is partly stored as Excel dates and partly as strings: both parsed.
    assert report.excel_dates > 0 and report.string_dates > 0
    assert report.excel_dates + report.string_dates == len(messages)
    years = {m.submitted_at.year for m in messages if m.submitted_at}
    assert 2019 in years and 2020 in years
    assert report.duplicate_rows > 0
    assert all(len(g) >= 2 for g in report.duplicate_groups)
    assert all(m.likes is not None and m.likes >= 0 and m.dislikes is not None for m in messages)
    assert max(m.likes or 0 for m in messages) > 100


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019/2/28 11:25:05", datetime(2019, 2, 28, 11, 25, 5)),
        ("2019/12/3 9:05:00", datetime(2019, 12, 3, 9, 5)),
        ("2019-06-20 20:38:47", datetime(2019, 6, 20, 20, 38, 47)),
        ("2019/06/20", datetime(2019, 6, 20)),
        ("2019年6月20日 20:38", datetime(2019, 6, 20, 20, 38)),
        ("２０１９/６/２０ ８:０５:０１", datetime(2019, 6, 20, 8, 5, 1)),
        ("2019-06-20T20:38:47", datetime(2019, 6, 20, 20, 38, 47)),
        (43636.5, datetime(2019, 6, 20, 12, 0)),
        (datetime(2019, 6, 20, 1, 2, 3), datetime(2019, 6, 20, 1, 2, 3)),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_datetime(raw: object, expected: datetime | None) -> None:
    assert parse_datetime(raw) == expected


def test_parse_datetime_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="无法识别的日期"):
        parse_datetime("明天下午")
    with pytest.raises(ValueError):
        parse_datetime("2019/13/45 10:00:00")


def test_clean_text() -> None:
    assert clean_text("\n\t\t\t\t\t\n\t\t\t\t\t尊敬的领导：\u3000您好") == "尊敬的领导：\u3000您好"
    assert clean_text("\u3000\u3000第一段\n\t\t\n\t第二段  ") == "第一段\n第二段"
    assert clean_text(None) == ""
    assert clean_text(12.0) == "12"


def _write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_wrong_columns_raise_chinese_error(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "bad.xlsx", [["留言编号", "留言用户", "留言时间", "备注"], [1, "u", "2019/1/1 1:00:00", "x"]])
    with pytest.raises(SourceFormatError) as info:
        read_messages(path)
    assert "缺少列：留言主题、留言详情" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_half_reply_pair_is_reported(tmp_path: Path) -> None:
    header = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见"]
    path = _write_xlsx(tmp_path / "half.xlsx", [header, [1, "u", "t", "2019/1/1 1:00:00", "b", "r"]])
    with pytest.raises(SourceFormatError, match="答复时间"):
        read_messages(path)


def test_mixed_dates_blank_rows_and_duplicates(tmp_path: Path) -> None:
    header = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "反对数", "点赞数"]
    path = _write_xlsx(tmp_path / "mixed.xlsx", [
        header,
        [1, "u1", "标题", datetime(2019, 8, 1, 10, 0), "\n\t\t内容", 0, 3],
        [None, None, None, None, None, None, None],
        [2, "u2", " 标题", "2019/8/2 9:05:00", "内容\u3000", "1", "2"],
        [3, "u3", "另一个", "不是日期", "正文", 0, 0],
    ])
    messages, report = read_messages(path)
    assert report.shape == "likes"
    assert [m.submitted_at for m in messages[:2]] == [datetime(2019, 8, 1, 10), datetime(2019, 8, 2, 9, 5)]
    assert messages[1].likes == 2 and messages[1].dislikes == 1
    assert report.blank_rows == 1
    assert report.duplicate_rows == 1 and report.duplicate_groups == [["1", "2"]]
    assert report.unparsable_dates == [(5, "留言时间", "不是日期")]
    assert messages[2].submitted_at is None


def test_detect_shape() -> None:
    base = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情"]
    assert detect_shape(base) == "unlabelled"
    assert detect_shape([*base, "一级分类"]) == "labelled"
    assert detect_shape([*base, "反对数", "点赞数"]) == "likes"
    assert detect_shape([*base, " 答复意见 ", "答复时间"]) == "replies"


def test_read_labelled(tipdm: Path, tmp_path: Path) -> None:
    titles = read_labelled(tipdm / "titles_labelled.tsv")
    bodies = read_labelled(tipdm / "bodies_labelled.tsv")
    assert len(titles) == 7984 and len(bodies) == 6466
    assert len({label for _, label in titles}) == 7
    sample = read_labelled(tipdm / "messages_labelled_sample_附件2.xlsx", text_from="title")
    assert len(sample) == 400 and sample[0][1] == "城乡建设"
    xlsx = _write_xlsx(tmp_path / "tl.xlsx", [["text", "label"], ["噪音扰民", "环境保护"], ["", "x"]])
    assert read_labelled(xlsx) == [("噪音扰民", "环境保护")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("content\tclass\na\tb\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="缺少列：text、label"):
        read_labelled(bad)


def test_read_taxonomy(tipdm: Path) -> None:
    tree = read_taxonomy(tipdm / "taxonomy_附件1.xlsx")
    assert len(tree) == 517
    assert len({t[0] for t in tree}) == 15
    assert all(a and b for a, b, _ in tree)


def test_read_proposals(shared_data: Path) -> None:
    path = shared_data / "jszx2019-proposals" / "proposals.csv"
    props = read_proposals(path)
    assert len(props) == 350
    assert len({p.category for p in props}) == 14
    assert props[0].submitted_at == datetime(2019, 1, 12, 16, 4, 48)
    assert props[0].text.startswith(props[0].title)
