"""Demo data of the livelihood projects (民生实事) of the demo people's congress, built through
:mod:`lvzhi.livelihood.actions` (called from :func:`lvzhi.demo.npc.build_npc`, inside its transaction).

A year's cycle, fictional projects of the kind the seeds' congress votes on ("10 projects a year"):

- 2024: collection (deputies, the public, staff registering letters), screening (12 listed, one refused
  for debt risk, one refused as routine work, one merged), a list of 12 candidates for 10 places approved,
  the vote at the plenary — the three demo deputies online, the other deputies on paper ballots whose tally
  is imported (one of them marked ``√``: invalid) — counted, published, and the year-end satisfaction
  evaluation of the 10 elected projects;
- 2024 micro projects (民生微实事): two batches proposed by deputies, delivered and rated;
- the current year: collection open and a vote open on its candidate list, so that the demo deputy can
  vote on a phone (``demo-deputy``) and the leader (``demo-npc-leader``) can watch the turnout and close.
The timestamps of the 2024 acts are set to the 2024 session afterwards (demo data only).
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from lvzhi.demo import npc_data as data
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import Candidate, Screening, Vote
from lvzhi.members.models import Council, HandlingUnit, Member

#: (title, place, investment in 万元, beneficiaries, unit, source) — source: deputy / public / staff.
PROJECTS: list[tuple[str, str, int, str, str, str]] = [
    ("新建和改造长者饭堂 30 个", "各区（市）", 1800, "老年人", "江门市人力资源和社会保障局", "deputy"),
    ("中小学课后服务提质扩面", "市区中小学", 2600, "中小学生及家长", "江门市教育局", "deputy"),
    ("老旧小区加装电梯 200 台", "蓬江区、江海区", 4200, "老旧小区居民", "江门市住房和城乡建设局", "deputy"),
    ("城乡公交一体化新增线路 15 条", "新会区、台山市", 3100, "城乡出行群众", "江门市交通运输局", "public"),
    ("背街小巷改造 120 条", "中心城区", 2900, "沿线居民", "江门市城市管理和综合执法局", "deputy"),
    ("新增公办幼儿园学位 3000 个", "各区（市）", 5600, "学龄前儿童", "江门市教育局", "staff"),
    ("农村供水一体化提质", "开平市、恩平市", 6800, "农村居民", "江门市水利局", "deputy"),
    ("基层医疗卫生机构能力提升", "镇（街）卫生院", 3900, "基层群众", "江门市卫生健康局", "deputy"),
    ("城市内涝点整治 25 处", "中心城区", 4700, "易涝片区居民", "江门市住房和城乡建设局", "public"),
    ("侨乡就业驿站建设 40 个", "各区（市）", 900, "求职群众", "江门市人力资源和社会保障局", "staff"),
    ("农贸市场升级改造 20 个", "各区（市）", 2200, "市民", "江门市农业农村局", "public"),
    ("儿童友好口袋公园 30 个", "中心城区", 1600, "儿童及家庭", "江门市城市管理和综合执法局", "deputy"),
    ("新建市级体育馆（举债建设）", "江海区", 98000, "市民", "江门市发展和改革局", "public"),
    ("机关办公楼维修", "市直机关", 600, "机关干部", "江门市财政局", "staff"),
    ("长者食堂运营补贴", "各区（市）", 500, "老年人", "江门市人力资源和社会保障局", "public"),
]
REFUSED = {12: "项目需举借债务建设，增加政府债务风险，不符合民生实事项目遴选条件。",
           13: "属于部门常规工作，不列入民生实事项目。"}
MERGED = {14: (0, "与“新建和改造长者饭堂”项目内容相近，合并办理。")}
CURRENT_TITLES = ["社区嵌入式托育点建设", "公共充电桩进小区", "城市绿道贯通", "农村客运站点提升",
                  "社区卫生服务站标准化", "公办养老机构护理床位扩增", "校园周边交通安全整治",
                  "侨乡文化街区公共厕所提升", "困难群众住房保障", "河涌水环境治理", "全民健身场地补短板",
                  "残疾人康复服务点建设"]


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _unit(council: Council, name: str) -> HandlingUnit:
    return HandlingUnit.objects.get(council=council, name=name)


def _paper_marks(number: int, codes: list[str]) -> list[str | None]:
    """The marks of paper ballot ``number``: 赞成 for 9 or 10 of 01–10 (each ballot leaves out a different
    one), 反对/弃权/empty for 11 and 12; ballot 5 is marked ``√`` (invalid)."""
    if number == 5:
        return ["√", *[None] * (len(codes) - 1)]
    left_out = {f"{(number * 3) % 10 + 1:02d}"} | ({f"{(number * 7) % 10 + 1:02d}"} if number % 3 == 0 else set())
    marks: list[str | None] = []
    for code in codes:
        if code in ("11", "12"):
            marks.append(["反对", "弃权", None][(number + int(code)) % 3])
        else:
            marks.append("反对" if code in left_out and number % 2 else (None if code in left_out else "赞成"))
    return marks


def _deliver(council: Council, staff: Any, elected: list[Candidate]) -> None:
    """Delivery of the 2024 projects on the case core: each numbered and assigned to its responsible unit,
    two milestones reached, monthly progress to 100 %, the completion report drafted by a demo clerk of the
    unit and signed by a demo unit leader, then closed: "10 projects, all completed" (seeds)."""
    from lvzhi.cases import actions as cases
    from lvzhi.cases.models import Assignment
    from lvzhi.members import actions as org
    from lvzhi.members.choices import Role

    accounts: dict[int, tuple[Any, Any]] = {}
    for n, candidate in enumerate(elected):
        project = act.start_delivery(staff, candidate)
        unit = candidate.unit
        assert unit is not None
        if unit.pk not in accounts:
            k = len(accounts)
            accounts[unit.pk] = (
                org.create_account(None, username=f"demo-ms-clerk{k}", password="Qiaodu-Minsheng-2024",
                                   role=Role.UNIT_CLERK, council=council, unit=unit, display_name=f"{unit.name}经办人"),
                org.create_account(None, username=f"demo-ms-head{k}", password="Qiaodu-Minsheng-2024",
                                   role=Role.UNIT_LEADER, council=council, unit=unit, display_name=f"{unit.name}负责人"))
        clerk, head = accounts[unit.pk]
        for title, month in (("完成方案设计和招标", 4), ("主体工程完工", 9)):
            milestone = act.add_milestone(clerk, project, title=title, due=date(2024, month, 30))
            act.complete_milestone(clerk, milestone, done_on=date(2024, month, 20 + n % 8))
        for month in range(3, 13):
            act.report_progress(clerk, project, month=date(2024, month, 1), percent=min(100, (month - 2) * 10 + n % 3),
                                text="按计划推进。" if month < 12 else "项目全部完成，投入使用。")
        lead = Assignment.objects.get(case_type="livelihood_project", object_id=project.pk)
        reply = cases.draft_reply(clerk, lead.pk, grade="A", text=f"“{project.title}”已按期全部完成。")
        cases.sign_off_reply(head, reply.pk)
        type(reply).objects.filter(pk=reply.pk).update(signed_at=_at(date(2024, 12, 10 + n)))  # demo: in 2024
        cases.close(staff, type(project), project.pk)


#: Micro projects of 2024 (民生微实事, fictional): (batch, title, place, investment 万元, people served).
MICRO: list[tuple[int, str, str, int, int]] = [
    (1, "社区口袋公园", "白沙街道", 45, 3200), (1, "村道路灯亮化", "杜阮镇", 28, 5600),
    (1, "长者饭堂适老化改造", "环市街道", 36, 1800), (1, "学校周边人行过街设施", "会城街道", 52, 9000),
    (2, "农村污水管网修补", "双水镇", 60, 4300), (2, "社区卫生站设备更新", "北街街道", 38, 12000),
    (2, "侨乡文化室修缮", "荻海街道", 22, 2600), (2, "菜市场雨棚改造", "三埠街道", 30, 8000),
]


def _micro(council: Council, users: dict[str, Any]) -> None:
    """Two batches of 2024 micro projects ("deputies propose, government delivers, congress supervises"):
    proposed by the demo deputies, approved, assigned, delivered (the unit's completion reply) and rated
    满意 by the proposing deputy; one more proposal declined with its reason."""
    from lvzhi.cases import actions as cases
    from lvzhi.cases.models import Assignment
    from lvzhi.livelihood.models import MicroProject
    from lvzhi.members import actions as org
    from lvzhi.members.choices import Role

    staff = users["staff"]
    unit = _unit(council, "江门市住房和城乡建设局")
    clerk = org.create_account(None, username="demo-ws-clerk", password="Qiaodu-Weishishi-2024", role=Role.UNIT_CLERK,
                               council=council, unit=unit, display_name="住建局微实事经办人")
    head = org.create_account(None, username="demo-ws-head", password="Qiaodu-Weishishi-2024", role=Role.UNIT_LEADER,
                              council=council, unit=unit, display_name="住建局微实事负责人")
    batches = {n: act.create_batch(staff, council, year=2024, number=n) for n in (1, 2)}
    for i, (batch, title, place, investment, served) in enumerate(MICRO):
        proposer = users["deputy"] if i % 2 == 0 else users["deputy2"]
        project = act.propose_micro(proposer, batches[batch], title=title, place=place, investment=investment,
                                    people_served=served, content=f"{place}群众反映，建议实施{title}。")
        act.approve_micro(staff, project)
        cases.assign(staff, MicroProject, project.pk, [(unit, "sole")])
        act.report_micro_progress(clerk, project, percent=100)
        a = Assignment.objects.get(case_type="micro_project", object_id=project.pk)
        reply = cases.draft_reply(clerk, a.pk, grade="A", text=f"{title}已完成。")
        cases.sign_off_reply(head, reply.pk)
        cases.evaluate(proposer, reply.pk, scores={"result": "satisfied"})
    declined = act.propose_micro(users["deputy"], batches[2], title="新建社区体育馆", place="江海区",
                                 investment=900, people_served=20000)
    act.decline_micro(staff, declined, reason="投资超出微实事规模，建议列入下一年度民生实事候选。")


def build_livelihood(council: Council, users: dict[str, Any]) -> None:
    """The 2024 cycle and the current year's open vote of the demo people's congress."""
    staff, leader = users["staff"], users["leader"]
    deputies = list(Member.objects.filter(council=council).order_by("id"))
    demo_deputies = [users["deputy"], users["deputy2"], users["dual"]]
    session_2024 = data.SESSIONS[4]

    window = act.open_collection(staff, council, year=2024, opens=date(2023, 10, 1), closes=date(2023, 10, 31))
    projects = []
    for i, (title, place, investment, beneficiaries, unit, source) in enumerate(PROJECTS):
        common: dict[str, Any] = {"title": title, "place": place, "investment": investment, "beneficiaries": beneficiaries,
                  "proposed_unit": _unit(council, unit), "today": date(2023, 10, 10 + i)}
        if source == "deputy":
            actor = demo_deputies[i % 2]
            projects.append(act.submit_project(actor, window, content=f"建议实施“{title}”。", **common))
        elif source == "public":
            projects.append(act.submit_project(None, window, content=f"市民建议：{title}。",
                                               proposer_name=f"市民{i + 1}号", proposer_contact="portal", **common))
        else:
            projects.append(act.submit_project(staff, window, content=f"据来信登记：{title}。",
                                               member=deputies[i % len(deputies)], **common))
    for i, project in enumerate(projects):
        if i in REFUSED:
            act.screen_project(staff, project, outcome=Screening.REJECTED, reason=REFUSED[i])
        elif i in MERGED:
            target, reason = MERGED[i]
            act.screen_project(staff, project, outcome=Screening.MERGED, reason=reason, merged_into=projects[target])
        else:
            act.screen_project(staff, project, outcome=Screening.ACCEPTED, reason="经审查，可行、合法，资金已纳入预算。")
    listed = [p for i, p in enumerate(projects) if i not in REFUSED and i not in MERGED]
    vote = act.create_vote(staff, council, title="2024年江门市民生实事项目票决", places=10,
                           electorate=len(deputies), window=window, candidates=[
                               act.CandidateInput(suggestion=p, completion=date(2024, 12, 31)) for p in listed])
    act.approve_list(staff, vote)
    act.open_vote(leader, vote)
    codes = list(vote.candidates.order_by("code").values_list("code", flat=True))
    online = {users["deputy"]: 0, users["deputy2"]: 1, users["dual"]: 2}
    for user, n in online.items():
        marks = _paper_marks(n + 20, codes)
        act.cast_ballot(user, vote, {c: m or "" for c, m in zip(codes, marks, strict=True)})
    online_ids = {getattr(act.deputy_of(u, council.pk), "pk", None) for u in online}
    on_paper = [m for m in deputies if m.pk not in online_ids]
    act.issue_paper_ballots(staff, vote, on_paper)
    act.close_vote(leader, vote)
    wb = Workbook()
    wb.active.append(["选票编号", *codes])
    for n in range(1, len(on_paper) + 1):
        wb.active.append([f"2024-{n:03d}", *_paper_marks(n, codes)])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    act.import_tally(staff, vote, out, filename="2024年民生实事票决计票表.xlsx")
    act.publish_result(leader, vote)
    voted_at = _at(session_2024[2], 10)
    Vote.objects.filter(pk=vote.pk).update(
        created_at=_at(session_2024[0]), list_approved_at=_at(session_2024[0] + timedelta(days=20)),
        opened_at=voted_at, closed_at=voted_at + timedelta(minutes=30), counted_at=voted_at + timedelta(minutes=40),
        published_at=voted_at + timedelta(hours=1))

    elected = list(Candidate.objects.filter(vote=vote, outcome="elected").order_by("code"))
    evaluation = act.create_evaluation(staff, council, year=2024, projects=elected, electorate=len(deputies))
    act.open_evaluation(leader, evaluation)
    for k, user in enumerate(demo_deputies):
        act.submit_evaluation(user, evaluation, {
            p.pk: ["满意", "满意", "基本满意"][(k + i) % 3] if i != 3 else "不满意" if k == 0 else "基本满意"
            for i, p in enumerate(elected)})
    act.close_evaluation(leader, evaluation)

    _deliver(council, staff, elected)
    _micro(council, users)

    today = timezone.localdate()
    current = act.open_collection(staff, council, year=today.year + 1, opens=today - timedelta(days=20),
                                  closes=today + timedelta(days=10))
    items = []
    for i, title in enumerate(CURRENT_TITLES):
        p = act.submit_project(demo_deputies[i % 2], current, title=title, investment=800 + 150 * i,
                               content=f"建议将“{title}”列入下一年度民生实事。")
        act.screen_project(staff, p, outcome=Screening.ACCEPTED)
        items.append(act.CandidateInput(suggestion=p, completion=date(today.year + 1, 12, 31)))
    open_vote = act.create_vote(staff, council, title=f"{today.year + 1}年江门市民生实事候选项目票决（演示）",
                                places=10, electorate=len(deputies), window=current, candidates=items)
    act.approve_list(staff, open_vote)
    act.open_vote(leader, open_vote)
