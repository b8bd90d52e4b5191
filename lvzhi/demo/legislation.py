"""Demo data of the legislative outreach office (基层立法联系点): one consultation on a real regulation.

The draft is the real 江门市门楼号牌管理条例 read from the regulations data set beside the project
(``LVZHI_REGULATIONS_DIR``, default ``../shared/data/regulations`` from the working directory; the text is
not copied into the code). Without that directory the demo has no consultation. Everything goes through
:mod:`lvzhi.legislation.actions`; the comments are fictional and marked by the draft's ``is_demo``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from lvzhi.legislation import actions
from lvzhi.legislation.actions import InviteeSpec
from lvzhi.legislation.choices import InviteeKind
from lvzhi.legislation.models import Comment, Provision
from lvzhi.members.models import Council, Member

REGULATION = "guangdong/江门市门楼号牌管理条例(2022-12-05).md"

#: (article number or 0 for the whole draft, source, name, hearing, speakers, text, reasons)
COMMENTS: list[tuple[int, str, str, str, str, str, str]] = [
    (3, "public", "", "", "", "建议明确户（室）牌的样式由全市统一规定。", "现在各小区样式不一，不便识别。"),
    (3, "public", "市民陈先生", "", "", "建议户（室）牌的样式由全市统一规定。", ""),
    (3, "informant", "信息员 李演示", "", "", "单元牌的设置责任人应当写明是物业服务人还是业主。", ""),
    (6, "hearing", "", "白沙街道立法意见座谈会（演示）", "社区主任、物业代表、居民代表", "编制门楼号时应当征求所在社区意见。",
     "社区最了解巷道实际走向。"),
    (11, "hearing", "", "白沙街道立法意见座谈会（演示）", "居民代表", "门楼号更改后应给予不少于六个月的新旧号并用期。",
     "便于快递、户籍等信息变更。"),
    (0, "public", "", "", "", "总体赞成，建议加快出台。", ""),
]


def regulations_dir() -> Path:
    return Path(os.environ.get("LVZHI_REGULATIONS_DIR", Path.cwd().parent / "shared" / "data" / "regulations"))


def build_consultation(council: Council, users: dict[str, Any]) -> int:
    """Import the regulation for ``council``, open a consultation (opened a week ago, closing in two weeks,
    public on the portal, two informants and a partner unit invited) and add comments from the portal, an
    informant, a hearing and the demo deputy, with one consolidated opinion on article 3. Returns the number
    of comments (0 when the regulations directory is missing)."""
    path = regulations_dir() / REGULATION
    if not path.is_file():
        return 0
    staff = users["staff"]
    draft = actions.import_draft(staff, council, path.read_bytes(), path.name, is_demo=True)
    today = timezone.localdate()
    consultation = actions.create_consultation(
        staff, draft.pk, opens_on=today - timedelta(days=7), closes_on=today + timedelta(days=14), source="city",
        invitees=[InviteeSpec(InviteeKind.INFORMANT, "李演示", "白沙街道"),
                  InviteeSpec(InviteeKind.INFORMANT, "黄样例", "江海区律师协会"),
                  InviteeSpec(InviteeKind.PARTNER_UNIT, "市公安局（演示）")],
        note="演示数据：征求社会公众、信息员和协作单位对草案的意见。")
    article = {p.main: p.pk for p in Provision.objects.filter(draft=draft, kind="article", sub=0)}
    for main, source, name, hearing, speakers, text, reasons in COMMENTS:
        pk = article.get(main) if main else None
        if source == "public":
            actions.submit_public_comment(consultation.pk, provision_pk=pk, text=text, reasons=reasons,
                                          author_name=name)
        else:
            actions.add_comment(staff, consultation.pk, provision_pk=pk, text=text, reasons=reasons, source=source,
                                author_name=name, hearing=hearing, speakers=speakers)
    deputy = users.get("deputy")
    if deputy is not None and Member.objects.filter(council=council, profile__user=deputy).exists():
        actions.add_comment(deputy, consultation.pk, provision_pk=article[23],
                            text="建议对新建建筑物申请门楼号规定办理时限。")
    on_three = list(Comment.objects.filter(consultation=consultation, provision_id=article[3], source="public")
                    .values_list("pk", flat=True))
    actions.save_opinion(staff, consultation.pk, provision_pk=article[3], text="建议规定户（室）牌样式全市统一。",
                         reasons="便于识别和管理。", comment_ids=on_three)
    return Comment.objects.filter(consultation=consultation).count()
