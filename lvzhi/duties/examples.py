"""The three example rule sets of WORKFLOWS §7, as data (installed with
:func:`lvzhi.duties.actions.install_example`).

- ``tongcheng`` — 政协桐城市委员会委员履职考核暂行办法 (2019) [K1]: 100 points, 60 to pass; meetings 50
  (plenary attended 50, on approved leave 30, absent 0; a standing-committee member loses 2 per excused
  and 5 per unexcused standing-committee meeting); proposals at most 25 (10 a proposal, +15 filed; a joint
  one: the first proposer half, the co-signers share the other half); activities at most 10 (2 each; a
  written speech 5); public-opinion reports at most 15 (10 each, +5 adopted).
- ``jinan`` — 济南市政协委员履职量化考核实施办法 (2015) [K3]: 120 points = 70 base + at most 50 reward;
  plenary absent without leave −30, on leave −10; each filed proposal beyond the first +5 (first
  proposer), key +5, excellent +10; public-welfare activities +2 each, at most 10; 优秀 ≥ 85, 称职 60–84,
  不称职 < 60; the "三个一": attend the plenary, submit a proposal or a public-opinion report, join an
  inspection or research.
- ``jiangmen`` — the seeds' "五个一" (Jiangmen CPPCC work report 2023): attend the plenary, join a duty topic,
  submit a good (filed) proposal, report a public-opinion item, hold an activity with the sector's people.
  The seeds publish the five duties, not their points: this example gives each duty 20 points once (so
  doing all five scores 100) and the four grades of the Anqing rules [K5] (优秀 ≥ 90 / 良好 80–89 /
  称职 60–79 / 不称职 < 60). A council replaces the points with its own.
"""

from __future__ import annotations

from typing import Any

ACTIVITY_KINDS = ["consultation", "inspection", "research", "training", "forum", "sector", "welfare"]
TOPIC_KINDS = ["consultation", "inspection", "research"]

TONGCHENG: dict[str, Any] = {
    "name": "桐城市政协委员履职考核（百分制）",
    "source": "政协桐城市委员会委员履职考核暂行办法（2019年1月10日十三届十二次常委会议通过）",
    "base_points": "0", "max_total": "100",
    "groups": [{"name": "参加政协会议", "cap": "50"}, {"name": "提交提案", "cap": "25"},
               {"name": "参加政协活动", "cap": "10"}, {"name": "反映社情民意", "cap": "15"}],
    "items": [
        {"label": "出席全体会议", "act_kind": "meeting", "group": "参加政协会议", "points": "50", "cap": "50",
         "conditions": {"meeting_kind": "plenary", "outcome": "present"}},
        {"label": "全体会议请假（经批准）", "act_kind": "meeting", "group": "参加政协会议", "points": "30", "cap": "30",
         "conditions": {"meeting_kind": "plenary", "outcome": "excused"}},
        {"label": "常委会议请假", "act_kind": "meeting", "group": "参加政协会议", "points": "-2",
         "conditions": {"meeting_kind": "standing", "outcome": "excused"}},
        {"label": "常委会议无故缺席", "act_kind": "meeting", "group": "参加政协会议", "points": "-5",
         "conditions": {"meeting_kind": "standing", "outcome": "unexcused"}},
        {"label": "提交提案", "act_kind": "proposal", "group": "提交提案", "points": "10", "split": "half_split"},
        {"label": "提案被立案", "act_kind": "proposal", "group": "提交提案", "points": "15", "split": "half_split",
         "conditions": {"filed": True}},
        {"label": "参加调研、视察、座谈、培训等活动", "act_kind": "meeting", "group": "参加政协活动", "points": "2",
         "conditions": {"meeting_kind": ACTIVITY_KINDS, "outcome": "present"}},
        {"label": "会议发言", "act_kind": "speech", "group": "参加政协活动", "points": "2",
         "conditions": {"speech_kind": ["plenary_speech", "members_channel"]}},
        {"label": "列为书面发言", "act_kind": "speech", "group": "参加政协活动", "points": "5",
         "conditions": {"speech_kind": "written"}},
        {"label": "报送社情民意", "act_kind": "report", "group": "反映社情民意", "points": "10"},
        {"label": "社情民意被采用", "act_kind": "report", "group": "反映社情民意", "points": "5",
         "conditions": {"adopted": True}},
    ],
    "grades": [{"name": "合格", "min_score": "60", "max_score": None},
               {"name": "不合格", "min_score": None, "max_score": "60"}],
    "duties": [],
}

JINAN: dict[str, Any] = {
    "name": "济南市政协委员履职量化考核（120分制）",
    "source": "济南市政协《关于政协委员履职量化考核的实施办法》（2015年3月）",
    "base_points": "70", "max_total": "120",
    "groups": [{"name": "扣分事项", "cap": None}, {"name": "工作奖励", "cap": "50"}],
    "items": [
        {"label": "无故缺席全体会议", "act_kind": "meeting", "group": "扣分事项", "points": "-30",
         "conditions": {"meeting_kind": "plenary", "outcome": "unexcused"}},
        {"label": "因故请假缺席全体会议", "act_kind": "meeting", "group": "扣分事项", "points": "-10",
         "conditions": {"meeting_kind": "plenary", "outcome": "excused"}},
        {"label": "立案提案超过1件的，每多1件（第一提案人）", "act_kind": "proposal", "group": "工作奖励",
         "points": "5", "split": "first_only", "skip_first": 1, "conditions": {"role": "first", "filed": True}},
        {"label": "重点提案（第一提案人）", "act_kind": "proposal", "group": "工作奖励", "points": "5",
         "split": "first_only", "conditions": {"role": "first", "key": True}},
        {"label": "优秀提案（第一提案人）", "act_kind": "proposal", "group": "工作奖励", "points": "10",
         "split": "first_only", "conditions": {"role": "first", "excellent": True}},
        {"label": "参加社会公益活动", "act_kind": "meeting", "group": "工作奖励", "points": "2", "cap": "10",
         "conditions": {"meeting_kind": "welfare", "outcome": "present"}},
    ],
    "grades": [{"name": "优秀", "min_score": "85", "max_score": None},
               {"name": "称职", "min_score": "60", "max_score": "85"},
               {"name": "不称职", "min_score": None, "max_score": "60"}],
    "duties": [
        {"label": "每年参加一次全体会议",
         "alternatives": [{"kind": "meeting", "conditions": {"meeting_kind": "plenary", "outcome": "present"}}]},
        {"label": "至少提交1件提案或反映1条社情民意信息",
         "alternatives": [{"kind": "proposal", "conditions": {}}, {"kind": "report", "conditions": {}}]},
        {"label": "至少参加一次视察、调研等活动",
         "alternatives": [{"kind": "meeting", "conditions": {"meeting_kind": ["inspection", "research"],
                                                              "outcome": "present"}}]},
    ],
}

JIANGMEN: dict[str, Any] = {
    "name": "江门市政协委员“五个一”履职考评",
    "source": "江门市政协常委会工作报告（2023）“五个一”履职任务；等次参照安庆市政协委员履职考核暂行办法",
    "base_points": "0", "max_total": "100",
    "groups": [],
    "items": [
        {"label": "出席政协全体会议", "act_kind": "meeting", "points": "20", "cap": "20",
         "conditions": {"meeting_kind": "plenary", "outcome": "present"}},
        {"label": "参加履职课题（调研、视察、协商）", "act_kind": "meeting", "points": "20", "cap": "20",
         "conditions": {"meeting_kind": TOPIC_KINDS, "outcome": "present"}},
        {"label": "提交高质量提案（立案）", "act_kind": "proposal", "points": "20", "cap": "20",
         "conditions": {"filed": True}},
        {"label": "反映社情民意", "act_kind": "report", "points": "20", "cap": "20"},
        {"label": "开展联系界别群众活动", "act_kind": "meeting", "points": "20", "cap": "20",
         "conditions": {"meeting_kind": "sector", "outcome": "present"}},
    ],
    "grades": [{"name": "优秀", "min_score": "90", "max_score": None},
               {"name": "良好", "min_score": "80", "max_score": "90"},
               {"name": "称职", "min_score": "60", "max_score": "80"},
               {"name": "不称职", "min_score": None, "max_score": "60"}],
    "duties": [
        {"label": "每年出席一次政协全体会议",
         "alternatives": [{"kind": "meeting", "conditions": {"meeting_kind": "plenary", "outcome": "present"}}]},
        {"label": "至少参加一项履职课题",
         "alternatives": [{"kind": "meeting", "conditions": {"meeting_kind": TOPIC_KINDS, "outcome": "present"}},
                          {"kind": "topic", "conditions": {}}]},
        {"label": "至少提交一件高质量政协提案",
         "alternatives": [{"kind": "proposal", "conditions": {"filed": True}}]},
        {"label": "至少反映一件社情民意", "alternatives": [{"kind": "report", "conditions": {}}]},
        {"label": "至少开展一次联系界别群众活动",
         "alternatives": [{"kind": "meeting", "conditions": {"meeting_kind": "sector", "outcome": "present"}}]},
    ],
}

EXAMPLES: dict[str, dict[str, Any]] = {"tongcheng": TONGCHENG, "jinan": JINAN, "jiangmen": JIANGMEN}
