"""Reading the replying unit from a reply's signature (落款), for imported replies.

Replies on the 问政 platform often end with the replying unit's name and a date, e.g.
``……感谢您对我们工作的理解与支持！ A7县交通运输局2013年8月22日``, and a few start with it
(``B9市卫生和计划生育局回复：……``). On the real file ``messages_with_replies_附件4.xlsx`` about one reply in
ten carries such a signature (242 + 5 of 2,816 rows); the others end with a bare date or nothing. The
shared data README's "~45%" counts unit names anywhere in the text (``感谢您对A7县交通运输局工作的…``,
``已转交县住建局``), which name a unit but not reliably the one that replied, so they are not used.
"""

from __future__ import annotations

import re

_WS = "\\s\u3000\u00a0"
_DATE = r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
#: Endings of unit names (longest first so that 委员会 wins over 委).
UNIT_SUFFIXES = ("委员会", "办公室", "办事处", "管理处", "管理局", "人民政府", "政府", "中心", "分局", "支队",
                 "大队", "局", "委", "办", "厅", "院", "所", "站", "队", "公司", "集团")
_NAME = r"[A-Za-z0-9\u4e00-\u9fff（）()·]{2,40}?(?:" + "|".join(UNIT_SUFFIXES) + ")"
_TAIL_RE = re.compile(rf"[{_WS}]*(?:{_DATE})?[{_WS}。.]*$")
_SIGNATURE_RE = re.compile(rf"(?:^|[{_WS}。！!？?，,；;：:）)】」”\"])[{_WS}]*({_NAME})$")
_HEAD_RE = re.compile(rf"^({_NAME})(?:回复|答复)")
_NOT_A_NAME = ("我", "您", "你", "于", "请", "已", "转")


def reply_unit_from_signature(reply: str) -> str:
    """The replying unit named in the signature of ``reply``, or ``""`` when there is none.

    A signature is a unit name (2–40 characters ending in one of :data:`UNIT_SUFFIXES`) standing alone at
    the end of the text (after punctuation or whitespace, optionally followed by a date such as
    ``2013年8月22日`` or ``2013-08-22``), or opening the text followed by 回复/答复. Never raises.
    """
    text = (reply or "").strip(_WS.replace("\\s", " \t\r\n"))
    if not text:
        return ""
    body = _TAIL_RE.sub("", text)
    match = _SIGNATURE_RE.search(body[-60:]) or _HEAD_RE.search(text[:60])
    if match is None:
        return ""
    name = match.group(1).strip()
    if name.startswith(_NOT_A_NAME):
        return ""
    return name
