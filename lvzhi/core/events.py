"""Names of audit events on case timelines, in the user's language (never the stored event key).

Every event a case act records (``lvzhi.core.audit.record`` / ``engine.move`` / ``engine.update``) has a label
here; a case type's page may word one differently (its own ``EVENT_LABELS``, looked up first). A test walks the
acts' source for every recorded event name and fails on one without a label (tests/web/test_event_labels.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as L_

EVENT_LABELS: dict[str, Promise] = {
    "transition": L_("流转"), "created": L_("起草"), "edited": L_("修改"), "report_edited": L_("修改"),
    "imported": L_("导入"), "case_linked": L_("关联案件"),
    # proposals
    "cosigner_invited": L_("邀请联名"), "cosign_confirmed": L_("确认联名"), "cosign_declined": L_("拒绝联名"),
    "cosign_lapsed": L_("联名邀请失效"), "merged_in": L_("并案"), "assigned_unit": L_("交办单位"),
    "reply_sent": L_("签发答复"), "excellent": L_("优秀提案评选"), "converted_to_report": L_("转为社情民意信息"),
    # deputies' suggestions
    "seconders_invited": L_("邀请附议"), "second_confirmed": L_("确认附议"), "second_declined": L_("不附议"),
    "seconders_lapsed": L_("附议邀请失效"),
    # every case type on the core
    "assigned_units": L_("交办单位"), "reassigned": L_("重新交办"), "sent_back": L_("退回交办"),
    "deadline_extended": L_("延长答复期限"), "opinion_sent": L_("提交会办意见"), "contact_recorded": L_("沟通（面商）"),
    "reply_drafted": L_("拟写答复"), "reply_returned": L_("负责人退回答复"), "reply_signed": L_("签发答复"),
    "evaluated": L_("满意度测评"), "key_set": L_("确定为重点督办"), "key_unset": L_("取消重点督办"),
    "key_group_joined": L_("列入督办专题"), "key_group_created": L_("设立督办专题"),
    "key_group_cases": L_("调整督办专题案件"), "key_group_note": L_("督办专题进展"), "follow_up": L_("回头看"),
    "selected": L_("评选"), "unselected": L_("取消评选"), "excellent_handling": L_("优秀办理评选"),
    "instructed": L_("领导批示"), "instruction_note": L_("批示落实情况"),
    # public-opinion reports and citizens' messages
    "delivered": L_("登记报送"), "forwarded_units": L_("转办承办单位"), "answer_drafted": L_("提交负责人签发"),
    "answer_sent": L_("签发"), "converted_from_proposal": L_("转自提案"), "routed": L_("转办"),
    "published": L_("已公开"), "unpublished": L_("取消公开"), "rated": L_("群众评价"),
    "photos_attached": L_("附上照片"), "informant_appointed": L_("聘任信息员"), "informant_updated": L_("修改信息员"), "issue_created": L_("新建刊物"),
    "job_started": L_("开始后台任务"),
}


def event_label(event: str, own: Mapping[str, Promise] | None = None) -> str:
    """The label of audit event ``event``: the case type's own wording (``own``) first, then the shared one;
    an event nobody labelled yet reads 「办理记录」 (never the stored key)."""
    label = (own or {}).get(event) or EVENT_LABELS.get(event)
    return str(label) if label is not None else gettext("办理记录")
