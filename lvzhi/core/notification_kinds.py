"""Names of notification kinds (``Notification.kind``, the second argument of ``audit.notify``) for the
notifications page's filter. A kind without a name here reads 「其他」, never the stored key."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as L_

KIND_LABELS: dict[str, Promise] = {
    "submitted": L_("新案件待审查"), "returned": L_("退回修改"), "filed": L_("立案"), "not_filed": L_("不予立案"),
    "accepted": L_("受理"), "merged": L_("并案"), "cosign": L_("联名邀请"), "second": L_("附议邀请"),
    "assigned": L_("交办"), "sent_back": L_("申退"), "extended": L_("延长期限"), "opinion": L_("会办意见"),
    "reply_returned": L_("答复被退回"), "replied": L_("收到答复"), "final_answer": L_("最终答复"),
    "rehandling": L_("重新办理"), "signoff": L_("待签发答复"), "rated": L_("评价"), "closed": L_("办结"), "key_group": L_("重点督办"),
    "instruction": L_("领导批示"), "reminder": L_("期限提醒"), "profile": L_("账号身份"),
    "station_turn": L_("联络站值班"), "station_matter": L_("联络站事项"),
    "opinion_submitted": L_("社情民意报送"), "opinion_screened": L_("社情民意筛选"),
    "opinion_published": L_("社情民意刊发"), "opinion_instructed": L_("社情民意批示"),
    "opinion_forwarded": L_("社情民意转办"), "opinion_converted": L_("提案转社情民意"),
    "opinion_closed": L_("社情民意办结"), "opinion_answered": L_("社情民意答复"),
    "message_received": L_("收到群众意见"), "message_routed": L_("群众意见转办"),
    "message_returned": L_("群众意见退回"), "message_replied": L_("群众意见答复"),
    "message_unsatisfied": L_("群众不满意"),
    "meeting": L_("会议通知"), "consultation": L_("网络议政"), "leave": L_("请假"), "supervision": L_("监督调研"), "finding": L_("监督发现问题"),
    "firm_issue": L_("企业反映问题"), "legislation_invited": L_("立法征求意见"),
    "legislation_feedback": L_("立法意见采纳反馈"),
}


def kind_label(kind: str) -> str:
    """The kind's name in the user's language; 「其他」 for a kind not listed."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else gettext("其他")
