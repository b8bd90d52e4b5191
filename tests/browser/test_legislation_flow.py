"""The outreach office in a real browser (Debian's chromium), phone and desktop: staff upload a Word draft
built from the real 江门市门楼号牌管理条例 and open a consultation; a citizen comments on article 3 on the
portal and gets a tracking code; staff consolidate the comment into an opinion and download the Word report
(意见建议汇总表), whose table is read back with python-docx."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.legislation.models import Comment, Consultation, Draft
from tests.browser.test_proposal_flow import login
from tests.cases.npc import build_npc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JIANGMEN = Path("../shared/data/regulations/guangdong/江门市门楼号牌管理条例(2022-12-05).md")
ARTICLE_3 = [ln for ln in JIANGMEN.read_text(encoding="utf-8").split("第三条 ", 1)[1].split("第四条 ", 1)[0]
             .splitlines() if ln.strip()]


def _word_draft(path: Path) -> Path:
    """The regulation as a Word draft: title, （草案）, headings and articles with full-width spaces."""
    body = JIANGMEN.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[1]
    document = docx.Document()
    document.add_paragraph("江门市门楼号牌管理条例")
    document.add_paragraph("（草案）")
    for line in body.splitlines():
        line = re.sub(r"^#+ ", "", line.strip())
        if line:
            document.add_paragraph(re.sub(r"^(第[一二三四五六七八九十]+[条章]) ", "\\1\u3000", line))
    out = path / "门楼号牌管理条例（草案）.docx"
    document.save(str(out))
    return out


def test_citizen_comments_staff_consolidate_and_download(live_server: Any, new_page: Any, tmp_path: Path,
                                                         viewport: str) -> None:
    npc = build_npc(f"浏览器立法联系点{viewport}")
    base = live_server.url

    # 1. staff upload the Word draft and open a consultation
    staff = new_page()
    login(staff, base, npc.user("staff").username)
    staff.goto(f"{base}/legislation/")
    staff.locator("#d-file").set_input_files(str(_word_draft(tmp_path)))
    staff.get_by_role("button", name="导入").click()
    expect(staff.locator("h1")).to_contain_text("江门市门楼号牌管理条例")
    expect(staff.locator("#draft-counts")).to_contain_text("共 28 条")
    staff.locator("summary", has_text="发起征求意见").click()
    today = timezone.localdate()
    staff.get_by_label("开始日期").fill(str(today))
    staff.get_by_label("截止日期").fill(str(today + timedelta(days=14)))
    staff.get_by_label("邀请的信息员（每行一位：姓名|单位）").fill("信息员甲|白沙街道")
    staff.get_by_role("button", name="发起", exact=True).click()
    expect(staff.locator(".messages")).to_contain_text("已发起征求意见")
    consultation = Consultation.objects.get(draft__title="江门市门楼号牌管理条例")

    # 2. a citizen comments on article 3 on the portal
    citizen = new_page()
    citizen.goto(f"{base}/portal/legislation/")
    citizen.get_by_role("link", name=consultation.title).click()
    article = citizen.locator('[id="article-第三条"]')
    expect(article).to_contain_text(ARTICLE_3[0])
    article.locator("summary").click()
    article.get_by_label("意见", exact=True).fill("建议户（室）牌的样式由全市统一规定。")
    article.get_by_label("理由（可不填）").fill("各小区样式不一，不便识别。")
    article.get_by_role("button", name="提交意见").click()
    expect(citizen.locator("h1")).to_have_text("意见已提交")
    code = citizen.locator(".tracking-code").inner_text()
    comment = Comment.objects.get(tracking_code=code)
    assert comment.provision is not None and comment.provision.number == "第三条"
    assert comment.source == "public"

    # 3. staff consolidate it and download the report
    staff.goto(f"{base}/legislation/consultations/{consultation.pk}/")
    section = staff.locator(f"#comments-{comment.provision_id}")
    expect(section).to_contain_text("建议户（室）牌的样式由全市统一规定。")
    section.locator(f'input[name=comments][value="{comment.pk}"]').check()
    section.locator("textarea[name=text]").fill("建议规定户（室）牌样式全市统一。")
    section.locator("textarea[name=reasons]").fill("便于识别。")
    section.get_by_role("button", name="保存汇总意见").click()
    expect(staff.locator(".messages")).to_contain_text("汇总意见已保存")
    with staff.expect_download() as info:
        staff.locator("#report-link").click()
    target = tmp_path / "report.docx"
    info.value.save_as(str(target))
    report = docx.Document(str(target))
    assert "意见建议汇总表" in report.paragraphs[0].text
    rows = [[cell.text for cell in row.cells] for row in report.tables[0].rows]
    assert rows[0] == ["序号", "条文", "原文", "意见建议", "理由", "意见来源"]
    # the original text is article 3 as in the Word draft (full-width space after the number)
    assert rows[1] == ["1", "第三条", "\n".join(["第三条\u3000" + ARTICLE_3[0], *ARTICLE_3[1:]]),
                       "建议规定户（室）牌样式全市统一。", "便于识别。", "社会公众 1 人"]
    assert Draft.objects.filter(title="江门市门楼号牌管理条例").count() == 1

