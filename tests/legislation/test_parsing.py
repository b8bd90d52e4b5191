"""The draft parser on the real regulations of ../shared/data/regulations and on drafts as they arrive.

Expected counts were worked out by reading the files (``grep -n '^## \\|^### \\|^第[^ ]*条 ' FILE`` and the
lines reviewed by eye); they are written here, never taken from the parser.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from lvzhi.legislation.parsing import DraftError, cn_number, parse_bytes, parse_docx, parse_file, parse_text

DATA = Path("../shared/data/regulations")
ALL_FILES = sorted(DATA.glob("*/*.md"))
NO_BODY = "汕头经济特区突发公共卫生事件应急条例(2022-05-30).md"


def reg(name: str) -> Path:
    found = [p for p in ALL_FILES if p.name.startswith(name)]
    assert len(found) == 1, name
    return found[0]


def test_the_data_is_there() -> None:
    # README: 88 in guangdong/, 8 in rules/
    assert len([p for p in ALL_FILES if p.parent.name == "guangdong"]) == 88
    assert len([p for p in ALL_FILES if p.parent.name == "rules"]) == 8


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_every_real_file_parses_and_keeps_every_line(path: Path) -> None:
    if path.name == NO_BODY:
        with pytest.raises(DraftError, match="未找到任何条文"):
            parse_file(path)
        return
    draft = parse_file(path)
    source = path.read_text(encoding="utf-8")
    # The title is the "# " line.
    assert draft.title == source.splitlines()[0][2:].strip()
    # Articles: every line that starts with 第X条 and a space (the README's rule), no other.
    expected = re.findall(r"^(第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?) ", source, re.M)
    assert [a.number for a in draft.articles] == expected
    # Every body line after INFO END is kept exactly once and in order: the lines before the first heading
    # or article (a repeated title) in the preamble, then headings, article lines, paragraphs and items.
    head, body_text = source.split("<!-- INFO END -->", 1)
    metadata = [ln.strip() for ln in head.splitlines()[1:] if ln.strip()]
    body = [re.sub(r"^#+ ", "", ln.strip()) for ln in body_text.splitlines() if ln.strip()]
    assert draft.preamble[:len(metadata)] == metadata
    first_paragraphs = {a.line for a in draft.articles if a.text != a.number}
    kept = [n.text for n in draft.nodes() if not (n.kind == "paragraph" and n.line in first_paragraphs)]
    assert draft.preamble[len(metadata):] + kept == body
    assert [n.line for n in draft.nodes()] == sorted(n.line for n in draft.nodes())


def test_jiangmen_house_numbers_counted_by_hand() -> None:
    # 江门市门楼号牌管理条例: six chapters (line 9 总 则 … line 133 附 则), 28 articles; chapter 2 holds
    # articles 6–12; article 3 has three paragraphs; article 11 one paragraph with items (一)–(三).
    draft = parse_file(reg("江门市门楼号牌管理条例"))
    assert draft.summary() == {"title": "江门市门楼号牌管理条例", "chapters": 6, "sections": 0, "articles": 28}
    chapters = draft.of_kind("chapter")
    assert [c.heading for c in chapters] == ["总 则", "门楼号的编制", "门楼牌的设置", "使用与管理", "法律责任",
                                             "附 则"]
    assert [a.number for a in chapters[1].children] == ["第六条", "第七条", "第八条", "第九条", "第十条",
                                                        "第十一条", "第十二条"]
    third = draft.articles[2]
    paragraphs = [c for c in third.children if c.kind == "paragraph"]
    assert len(paragraphs) == 3
    assert paragraphs[0].text == "本条例所称门楼号牌，包括门楼号和门楼牌。"
    assert third.full_text().startswith("第三条 本条例所称门楼号牌，包括门楼号和门楼牌。\n本条例所称门楼号，")
    eleventh = draft.articles[10]
    assert [c.kind for c in eleventh.children] == ["paragraph"]
    assert [i.text for i in eleventh.children[0].children] == [
        "（一）地名发生变更的；", "（二）门楼号有重号、错号、跳号的；", "（三）其他依法需要更改门楼号的。"]
    # 第二十六条 cites 第二十三条 in its text: still 28 articles, and 第二十六条 keeps that text.
    assert "违反本条例第二十三条规定" in draft.articles[25].full_text()


def test_legislation_law_with_sections() -> None:
    # 立法法 (2023): 6 chapters; sections: chapter 2 has 5 (立法权限 … 其他规定), chapter 4 has 2 → 7;
    # 120 articles (last 第一百二十条), 第一百一十九条 just before it.
    draft = parse_file(reg("立法法"))
    assert draft.summary() == {"title": "中华人民共和国立法法", "chapters": 6, "sections": 7, "articles": 120}
    chapters = draft.of_kind("chapter")
    assert [len([s for s in c.children if s.kind == "section"]) for c in chapters] == [0, 5, 0, 2, 0, 0]
    assert [a.ordinal for a in draft.articles[-2:]] == [(119, 0), (120, 0)]
    assert draft.articles[-1].number == "第一百二十条"


def test_shenzhen_data_sections_with_a_gap() -> None:
    # 深圳经济特区数据条例: 7 chapters; sections: ch.2 has 3, ch.3 has 4, ch.4 has 第一节 and 第三节 (the source
    # skips 第二节), ch.5 has 3 → 12; 100 articles (last 第一百条). The skipped section is a warning.
    draft = parse_file(reg("深圳经济特区数据条例"))
    assert draft.summary() == {"title": "深圳经济特区数据条例", "chapters": 7, "sections": 12, "articles": 100}
    chapters = draft.of_kind("chapter")
    assert [len([s for s in c.children if s.kind == "section"]) for c in chapters] == [0, 3, 4, 2, 3, 0, 0]
    assert any("第四章「第一节」之后是「第三节」" in w for w in draft.warnings)


def test_no_chapters() -> None:
    # 广东省全民义务植树条例: no "##" heading at all, 22 articles (第一条 line 9 … 第二十二条 line 77).
    draft = parse_file(reg("广东省全民义务植树条例"))
    assert draft.summary() == {"title": "广东省全民义务植树条例", "chapters": 0, "sections": 0, "articles": 22}
    assert all(n.kind == "article" for n in draft.body)


def test_chaozhou_unnumbered_supplementary_chapter() -> None:
    # 潮州市文明行为促进条例: headings 第一章 (l.9), 第三章 (l.277), 第四章, 第五章 and a bare "附 则" line (l.391)
    # before 第四十七条: 5 chapters, the missing 第二章 reported as a warning, not an error.
    draft = parse_file(reg("潮州市文明行为促进条例"))
    assert draft.summary()["chapters"] == 5 and draft.summary()["articles"] == 47
    last = draft.of_kind("chapter")[-1]
    assert last.number == "" and last.heading == "附 则" and [a.number for a in last.children] == ["第四十七条"]
    assert any("第三章" in w and "不连续" in w for w in draft.warnings)


def test_election_law_full_width_chapter_headings() -> None:
    # 选举法 prints "## 第一章　总　则" with full-width spaces: 12 chapters (第一章 … 第十二章), 60 articles.
    draft = parse_file(reg("全国人民代表大会和地方各级人民代表大会选举法"))
    assert draft.summary()["chapters"] == 12 and draft.summary()["articles"] == 60
    assert draft.of_kind("chapter")[0].heading == "总　则"
    assert draft.of_kind("chapter")[0].number == "第一章"


DRAFT = """江门市某某管理条例
（草案）

第一章　总　则

第一条　为了加强管理，根据有关法律、法规，结合本市实际，制定本条例。

第二条　本条例适用于本市行政区域。
依照本条例第十条的规定，
第十条规定的情形除外。

第二章　管　理
第一节　一般规定
第三条　有下列情形之一的，应当登记：
（一）新建的；
1．住宅；
2．商铺；
（二）改建的。
前款规定的登记不收费。
第三条之一　新增加的条文。
第一百二十三条　本条例自2026年1月1日起施行。
"""


def test_a_draft_as_it_arrives() -> None:
    draft = parse_text(DRAFT)
    assert draft.title == "江门市某某管理条例" and draft.draft_label == "（草案）"
    assert draft.summary() == {"title": "江门市某某管理条例", "chapters": 2, "sections": 1, "articles": 5}
    assert [a.number for a in draft.articles] == ["第一条", "第二条", "第三条", "第三条之一", "第一百二十三条"]
    assert [a.ordinal for a in draft.articles] == [(1, 0), (2, 0), (3, 0), (3, 1), (123, 0)]
    second = draft.articles[1]
    # the citation lines are paragraphs of 第二条, not articles
    assert [c.text for c in second.children] == ["本条例适用于本市行政区域。", "依照本条例第十条的规定，",
                                                 "第十条规定的情形除外。"]
    third = draft.articles[2]
    assert [c.kind for c in third.children] == ["paragraph", "paragraph"]
    items = third.children[0].children
    assert [i.number for i in items] == ["（一）", "（二）"]
    assert [s.text for s in items[0].children] == ["1．住宅；", "2．商铺；"]
    assert third.children[1].text == "前款规定的登记不收费。"
    assert draft.of_kind("chapter")[0].heading == "总　则"
    assert draft.of_kind("section")[0].heading == "一般规定"
    # 123 after 3-1 is a gap: a warning
    assert any("不连续" in w for w in draft.warnings)


def test_other_draft_labels() -> None:
    for label in ["（征求意见稿）", "(草案修改稿)", "（2026年5月征求意见稿）", "（修订草案）"]:
        draft = parse_text(f"某市条例\n{label}\n第一条　为了。\n")
        assert (draft.title, draft.draft_label) == ("某市条例", label)
    # a parenthesised line that is no label stays in the preamble
    draft = parse_text("某市条例\n（2026年5月1日某市人大常委会通过）\n第一条　为了。\n")
    assert draft.draft_label == "" and draft.preamble == ["（2026年5月1日某市人大常委会通过）"]


def test_title_with_label_suffix_and_table_of_contents() -> None:
    text = ("某市物业管理条例（修订草案征求意见稿）\n目　录\n第一章　总则\n第二章　附则\n"
            "第一章　总则\n第一条　为了……\n第二章　附则\n第二条　本条例自公布之日起施行。\n")
    draft = parse_text(text)
    assert draft.title == "某市物业管理条例"
    assert draft.summary() == {"title": "某市物业管理条例", "chapters": 2, "sections": 0, "articles": 2}


def test_table_of_contents_with_page_numbers() -> None:
    text = ("某市条例\n（草案）\n目　录\n第一章　总则\t1\n第二章　管理……………3\n第三章　附则 ........ 12\n"
            "第一章　总　则\n第一条　甲。\n第二章　管　理\n第二条　乙。\n第三章　附　则\n第三条　丙。\n")
    draft = parse_text(text)
    assert draft.summary() == {"title": "某市条例", "chapters": 3, "sections": 0, "articles": 3}
    assert [c.heading for c in draft.of_kind("chapter")] == ["总　则", "管　理", "附　则"]


def test_numbers() -> None:
    assert [cn_number(t) for t in ["一", "十", "十二", "二十", "一百", "一百零五", "一百二十三", "两千零一", "12"]] == [
        1, 10, 12, 20, 100, 105, 123, 2001, 12]


def test_duplicate_article_numbers_are_an_error() -> None:
    text = "某条例\n第一条　甲。\n第二条　乙。\n第二条　丙。\n第三条　丁。\n"
    with pytest.raises(DraftError) as err:
        parse_text(text)
    assert "「第二条」出现 2 次" in str(err.value) and "第 3 行" in str(err.value) and "第 4 行" in str(err.value)


def test_no_article_empty_and_not_word() -> None:
    with pytest.raises(DraftError, match="未找到任何条文"):
        parse_text("某条例\n（草案）\n这里只有说明文字。\n")
    with pytest.raises(DraftError, match="文件为空"):
        parse_bytes(b"", "x.txt")
    with pytest.raises(DraftError, match="文件为空"):
        parse_bytes(b"  \n\n", "x.md")
    with pytest.raises(DraftError, match="不是有效的 Word"):
        parse_bytes("第一条　这是文字不是 Word。".encode(), "x.docx")
    with pytest.raises(DraftError, match="文件为空"):
        parse_bytes(b"", "x.docx")
    with pytest.raises(DraftError, match="旧版 Word"):
        parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.doc")


def test_other_packages_named_docx() -> None:
    import zipfile

    import openpyxl

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "第一条　不是 Word。")
    with pytest.raises(DraftError, match="不是有效的 Word"):
        parse_bytes(buffer.getvalue(), "draft.docx")
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    with pytest.raises(DraftError, match="不是有效的 Word"):
        parse_bytes(workbook.getvalue(), "draft.docx")


def test_gb18030_text() -> None:
    draft = parse_bytes("某条例\n第一条　为了。\n".encode("gb18030"), "x.txt")
    assert draft.articles[0].full_text() == "第一条　为了。"


def _word_from(path: Path) -> bytes:
    """A Word draft as the commissions send it: the title, a （草案） line, headings and articles as
    paragraphs, full-width spaces after numbers, first-line indentation of two full-width spaces."""
    source = path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)
    title = source[0].splitlines()[0][2:].strip()
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph("（草案）")
    for raw in source[1].splitlines():
        line = raw.strip()
        if not line:
            continue
        line = re.sub(r"^#+ ", "", line)
        line = re.sub(r"^(第[一二三四五六七八九十百零〇]+[条章节](?:之[一二三四五六七八九十]+)?) ", "\\1\u3000", line)
        document.add_paragraph(("\u3000\u3000" + line) if line.startswith("第") and "条" in line[:8] else line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["江门市门楼号牌管理条例", "立法法", "广东省全民义务植树条例", "深圳经济特区数据条例"])
def test_word_drafts_built_from_real_regulations(name: str) -> None:
    path = reg(name)
    from_md = parse_file(path)
    from_word = parse_docx(_word_from(path))
    assert from_word.summary() == from_md.summary()
    assert from_word.draft_label == "（草案）"
    assert [a.number for a in from_word.articles] == [a.number for a in from_md.articles]
    # same paragraphs, items and headings (only the space after the number changed)
    assert [(n.kind, n.number) for n in from_word.nodes()] == [(n.kind, n.number) for n in from_md.nodes()]
    assert [n.text for n in from_word.nodes() if n.kind in ("paragraph", "item")] == [
        n.text for n in from_md.nodes() if n.kind in ("paragraph", "item")]


def test_word_table_rows_stay_in_their_article() -> None:
    document = docx.Document()
    document.add_paragraph("某条例")
    document.add_paragraph("第一条\u3000收费标准如下：")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "标准"
    table.cell(1, 0).text, table.cell(1, 1).text = "登记", "免费"
    document.add_paragraph("第二条\u3000本条例自公布之日起施行。")
    out = io.BytesIO()
    document.save(out)
    draft = parse_docx(out.getvalue())
    assert [c.text for c in draft.articles[0].children] == ["收费标准如下：", "项目\t标准", "登记\t免费"]
    assert len(draft.articles) == 2


def _auto_numbered_word(path: Path) -> bytes:
    """The regulation as a Word draft whose 第X章 and 第X条 are Word automatic numbering (w:numPr with
    lvlText 第%1章 / 第%1条, Chinese counting), not typed text: what many drafting templates produce."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for aid, text in ((90, "第%1章"), (91, "第%1条")):
        numbering.insert(0, parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="{aid}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {w} w:numId="{aid}"><w:abstractNumId w:val="{aid}"/></w:num>'))

    def numbered(text: str, num_id: int) -> None:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))

    source = path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)
    document.add_paragraph(source[0].splitlines()[0][2:].strip())
    document.add_paragraph("（草案）")
    for raw in source[1].splitlines():
        line = re.sub(r"^#+ ", "", raw.strip())
        chapter = re.match(r"^第[一二三四五六七八九十]+章 (.*)$", line)
        article = re.match(r"^第[一二三四五六七八九十百零]+条 (.*)$", line)
        if chapter:
            numbered(chapter.group(1), 90)
        elif article:
            numbered(article.group(1), 91)
        elif line:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["江门市门楼号牌管理条例", "广东省全民义务植树条例"])
def test_word_automatic_numbering(name: str) -> None:
    from_md = parse_file(reg(name))
    from_word = parse_docx(_auto_numbered_word(reg(name)))
    assert from_word.summary() == from_md.summary()
    assert [a.number for a in from_word.articles] == [a.number for a in from_md.articles]
    assert [n.text for n in from_word.nodes() if n.kind in ("paragraph", "item")] == [
        n.text for n in from_md.nodes() if n.kind in ("paragraph", "item")]
