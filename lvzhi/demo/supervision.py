"""Demo supervision and research topics and leaders' firm visits of the demo councils (issue 9, items 3–4):
per council one topic of the council's first kind (民主监督 / 专题调研) with a group of three and an expert, two
field visits, a report and three findings (one corrected and checked, one reported, one open); one 调查研究 /
执法检查 topic planned; two firm visits with a common and an individual issue (one solved). Through the writers,
as staff and leader would; nothing when the council already has a topic or lacks staff, members or units."""

from __future__ import annotations

from datetime import date
from typing import Any

from lvzhi.demo.duties import YEAR, _staff
from lvzhi.firmvisits import actions as fv
from lvzhi.firmvisits.models import FirmVisit
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, HandlingUnit, Member, Profile
from lvzhi.supervision import actions as sv
from lvzhi.supervision.models import KINDS_BY_COUNCIL, Topic


def _unit_user(unit: HandlingUnit) -> Any:
    profile = Profile.objects.filter(unit=unit, role__in=[Role.UNIT_CLERK, Role.UNIT_LEADER]).select_related("user").first()
    return profile.user if profile is not None else None


def build_supervision(council: Council) -> int:
    """Build the demo topics and visits of ``council``; the number of topics created."""
    staff = _staff(council)
    members = list(Member.objects.filter(council=council, active=True).order_by("id")[:4])
    units = [u for u in HandlingUnit.objects.filter(council=council, active=True).order_by("id")[:6] if _unit_user(u)]
    if staff is None or len(members) < 3 or len(units) < 3 or Topic.objects.filter(council=council).exists():
        return 0
    first, second = (KINDS_BY_COUNCIL[council.kind] + KINDS_BY_COUNCIL[council.kind])[:2]
    t = sv.create_topic(staff, council, kind=first, title="优化营商环境", year=YEAR, starts_on=date(YEAR, 3, 1),
                        ends_on=date(YEAR, 6, 30), lead_body="经济委员会",
                        plan="听取政府部门情况通报；走访企业和政务服务中心；召开企业家座谈会；形成报告报送党委政府。")
    sv.set_group(staff, t.pk, [(members[0], "leader"), (members[1], "deputy_leader"), (members[2], "member")])
    sv.add_expert(staff, t.pk, name="陈立新", affiliation="五邑大学经济管理学院教授")
    sv.record_visit(staff, t.pk, day=date(YEAR, 3, 20), place="市政务服务中心", notes="现场体验企业开办流程")
    sv.record_visit(staff, t.pk, day=date(YEAR, 4, 15), place="江海区高新技术企业", notes="座谈，收集企业意见 12 条")
    sv.submit_report(staff, t.pk, report="企业开办已实现一天办结，但工程建设项目审批环节多、涉企检查多头重复。",
                     recommendations="推行联合审批和“综合查一次”；建立涉企政策直达机制。", reported_on=date(YEAR, 5, 20))
    due = date(YEAR, 9, 30)
    f1 = sv.add_finding(staff, t.pk, unit=units[0], text="工程建设项目审批环节多", due=due, recommendation="推行联合审批")
    f2 = sv.add_finding(staff, t.pk, unit=units[1], text="涉企检查多头重复", due=due, recommendation="推行“综合查一次”")
    sv.add_finding(staff, t.pk, unit=units[2], text="惠企政策知晓率低", due=due, recommendation="建立政策直达机制")
    sv.report_correction(_unit_user(units[0]), f1.pk, text="出台联合审批办法，审批环节由 12 个减至 7 个")
    sv.confirm_correction(staff, f1.pk, accepted=True)
    sv.follow_up(staff, f1.pk, holds=True, note="回访 5 家企业，整改到位")
    sv.report_correction(_unit_user(units[1]), f2.pk, text="制定年度联合检查计划")
    planned = sv.create_topic(staff, council, kind=second, title="乡村振兴人才队伍建设", year=YEAR,
                              starts_on=date(YEAR, 9, 1), lead_body="农业和农村委员会")
    sv.set_group(staff, planned.pk, [(members[3 if len(members) > 3 else 0], "leader")])
    if not FirmVisit.objects.filter(council=council).exists():
        v = fv.record_visit(staff, council, firm="侨乡五金制品有限公司", leader="主席", day=date(YEAR, 4, 10),
                            member=members[0], notes="了解企业生产经营情况", issues=[
                                {"text": "工业用地指标紧张", "scope": "common", "unit": units[0], "due": date(YEAR, 7, 31)},
                                {"text": "厂区周边道路破损", "scope": "individual", "unit": units[1],
                                 "due": date(YEAR, 6, 30)}])
        common = v.issues.order_by("id").first()
        assert common is not None
        fv.answer_issue(_unit_user(units[0]), common.pk, text="已纳入年度用地计划统筹安排")
        fv.confirm_issue(staff, common.pk, solved=True)
        fv.record_visit(staff, council, firm="恒达物流有限公司", leader="副主席", day=date(YEAR, 5, 8), member=members[1],
                        issues=[{"text": "技工招聘难", "scope": "common", "unit": units[2], "due": date(YEAR, 8, 31)}])
    return 2


def build_studios(council: Council) -> int:
    """A demo studio of the council's first sector with two members (the first the head) and two activities,
    one with an outcome; the number of studios created (0 when it has one or lacks staff or members)."""
    from lvzhi.members.choices import OrganisationKind
    from lvzhi.members.models import Organisation
    from lvzhi.studios import actions as st
    from lvzhi.studios.models import Studio

    staff = _staff(council)
    members = list(Member.objects.filter(council=council, active=True).order_by("id")[:2])
    if staff is None or len(members) < 2 or Studio.objects.filter(council=council).exists():
        return 0
    sector = Organisation.objects.filter(council=council, kind=OrganisationKind.SECTOR).order_by("id").first()
    studio = st.create_studio(staff, council, name=f"{sector.name if sector else ''}委员工作室", kind="studio",
                              sector=sector, address="江门市蓬江区", members=[(members[0], True), (members[1], False)])
    st.record_activity(staff, studio.pk, day=date(YEAR, 4, 18), title="走访界别群众听取意见", kind="sector",
                       participants=members, people_reached=36, outcome_kind="proposal",
                       outcome="形成《关于支持小微企业数字化转型的提案》")
    st.record_activity(staff, studio.pk, day=date(YEAR, 10, 9), title="惠企政策宣讲", kind="outreach",
                       participants=members[:1], people_reached=60)
    return 1


def _unit_account(unit: HandlingUnit, role: str) -> Any:
    profile = Profile.objects.filter(unit=unit, role=role).select_related("user").first()
    return profile.user if profile is not None else None


def build_hall(council: Council) -> int:
    """A demo 委员议事厅 of a CPPCC council (the first two members, the first its convener) with one 协商议事
    activity that lists three consultation items [seed 001]: the first assigned, answered and adopted, the
    second assigned, the third waiting to be assigned. The number of halls created (0 when the council is not
    one the consultation list applies to, already has a hall, or lacks staff, two members or a unit with a
    clerk and a leader; the second item goes to a second such unit if there is one)."""
    from lvzhi.cases import actions as cases
    from lvzhi.cases import registry
    from lvzhi.studios import actions as st
    from lvzhi.studios.defaults import CASE_TYPE
    from lvzhi.studios.models import ConsultationItem, Studio, StudioKind

    staff = _staff(council)
    members = list(Member.objects.filter(council=council, active=True).order_by("id")[:2])
    units = [u for u in HandlingUnit.objects.filter(council=council, active=True).order_by("id")[:6]
             if _unit_account(u, Role.UNIT_CLERK) and _unit_account(u, Role.UNIT_LEADER)][:2]
    if (not registry.get(CASE_TYPE).applies_to(council) or staff is None or len(members) < 2 or not units
            or Studio.objects.filter(council=council, kind=StudioKind.HALL).exists()):
        return 0
    hall = st.create_studio(staff, council, name="委员议事厅", kind=StudioKind.HALL, address="市政协机关",
                            members=[(members[0], True), (members[1], False)])
    activity = st.record_activity(staff, hall.pk, day=date(YEAR, 6, 15), title="学前教育扩容提质", kind="consultation",
                                  participants=members, people_reached=30, outcome_kind="other",
                                  outcome="形成协商清单三条")
    first, second, _third = st.list_items(staff, activity.pk, [
        st.ItemDraft("加快公办幼儿园建设", "新增公办学位，提高公办园在园幼儿占比。", [members[0]]),
        st.ItemDraft("提升普惠性民办园保教质量", "完善普惠园认定和奖补办法。", members),
        st.ItemDraft("建设社区口袋公园", "利用边角地建设口袋公园。", [members[1]])])
    [assignment] = cases.assign(staff, ConsultationItem, first.pk, [(units[0], "sole")])
    cases.assign(staff, ConsultationItem, second.pk, [(units[-1], "sole")])
    reply = cases.draft_reply(_unit_account(units[0], Role.UNIT_CLERK), assignment.pk, grade="A",
                              text="已纳入年度学前教育发展计划，年内新增公办学位 3000 个。")
    cases.sign_off_reply(_unit_account(units[0], Role.UNIT_LEADER), reply.pk)
    st.record_adoption(staff, first.pk, act="adopt", note="纳入年度计划")
    return 1
