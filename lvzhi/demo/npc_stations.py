"""Demo liaison stations of the demo people's congress (``lvzhi demo``), built only through
:mod:`lvzhi.stations.actions`: stations in several districts with their deputies, a published rota (one turn
confirmed by the demo deputy), receptions over the last weeks with matters in every triage outcome (one turned
into the demo deputy's draft suggestion), a portal matter waiting, a theme month and two star ratings.
Seeds' scale for reference: 605 stations (73 central); a theme month with 5,817 deputies taking part, 967
opinions collected, 660 solved within the month, 232 turned into suggestions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from lvzhi.members.models import Council, Member
from lvzhi.stations import actions as st
from lvzhi.stations.models import RatingCriterion, Station

#: name, level, district, town, address, deputies (of the demo deputies, by name).
STATIONS: list[tuple[str, str, str, str, str, list[str]]] = [
    ("白沙街道人大代表中心联络站", "central", "蓬江区", "白沙街道", "蓬江区白沙街道某路 1 号（演示）", ["周演示", "郑示例"]),
    ("环市街道人大代表联络站", "ordinary", "蓬江区", "环市街道", "蓬江区环市街道某路 8 号（演示）", ["郑示例"]),
    ("外海街道人大代表中心联络站", "central", "江海区", "外海街道", "江海区外海街道某路 2 号（演示）", ["关样例", "卢模拟"]),
    ("会城街道人大代表中心联络站", "central", "新会区", "会城街道", "新会区会城街道某路 3 号（演示）", ["陆演练", "容示范"]),
    ("台城街道人大代表联络站", "ordinary", "台山市", "台城街道", "台山市台城街道某路 5 号（演示）", ["伍样本", "雷演示"]),
    ("赤坎镇人大代表联络站", "ordinary", "开平市", "赤坎镇", "开平市赤坎镇某路 6 号（演示）", ["邝示例", "胡样例"]),
]


def build_stations(council: Council, users: dict[str, Any]) -> list[Station]:
    """Build the demo stations of ``council`` for its demo ``users`` (by :data:`lvzhi.demo.npc.ACCOUNTS` key).
    Call inside a transaction."""
    staff = users["staff"]
    members = {m.name: m for m in Member.objects.filter(council=council)}
    today = timezone.localdate()
    stations = [st.save_station(staff, council, name=name, level=level, district=district, town=town,
                                address=address, opening_hours="每月第一个周三上午 9:00—11:30",
                                contact_name="联络站工作人员（演示）", phone="0750-0000000",
                                deputies=[members[n] for n in deputies], is_demo=True)
                for name, level, district, town, address, deputies in STATIONS]
    baisha, waihai, huicheng = stations[0], stations[2], stations[3]

    # the rota: published ahead; the demo deputy confirms the first turn
    turn = st.publish_turn(staff, baisha, date=today + timedelta(days=3), half_day="am", hours="09:00—11:30",
                           topic="老旧小区改造", deputies=[members["周演示"], members["郑示例"]])
    st.confirm_turn(users["deputy"], turn.pk)
    st.publish_turn(staff, waihai, date=today + timedelta(days=5), half_day="pm", hours="14:30—17:00",
                    deputies=[members["关样例"]])
    st.publish_turn(staff, huicheng, date=today + timedelta(days=9), half_day="am", deputies=[members["陆演练"]])

    # receptions with matters in every outcome
    r1 = st.register_reception(staff, baisha, date=today - timedelta(days=12), deputies=[members["周演示"]],
                               visitors=6, is_demo=True, matters=[
                                   {"content": "小区门口路灯损坏已三个月，夜间出行不便（演示）", "visitor_name": "王女士（演示）"},
                                   {"content": "建议开通社区到江门站的微循环公交（演示）"},
                                   {"content": "与用人单位的工资纠纷已申请劳动仲裁，希望代表过问（演示）"},
                                   {"content": "老旧小区加装电梯的补贴标准不清楚（演示）"}])
    m = list(r1.matters.order_by("id"))
    st.answer_on_spot(staff, m[0].pk, answer="代表当场联系街道城管办，承诺一周内修复（演示）")
    st.record_feedback(staff, m[0].pk, to_citizen="已电话告知王女士路灯已修复（演示）", to_deputy="已向周演示代表反馈（演示）")
    st.convert_to_suggestion(staff, m[1].pk, deputy=members["周演示"], title="关于开通社区微循环公交的建议")
    st.decline(staff, m[2].pk, ground="arbitration", reason="该纠纷已进入劳动仲裁程序，请依法通过仲裁解决（演示）")
    st.refer(staff, m[3].pk, to="town", referred_to="白沙街道办事处")
    st.resolve(staff, m[3].pk, result="街道已上门解释补贴标准并发放办事指南（演示）")
    r2 = st.register_reception(staff, waihai, date=today - timedelta(days=5), deputies=[members["关样例"], members["卢模拟"]],
                               visitors=3, is_demo=True, matters=[
                                   {"content": "学校周边上下学时段交通拥堵（演示）"},
                                   {"content": "建议增设社区长者饭堂（演示）"}])
    w = list(r2.matters.order_by("id"))
    st.refer(staff, w[0].pk, to="committee", referred_to="市人大常委会城乡建设环境资源保护工作委员会")
    st.register_reception(staff, huicheng, date=today - timedelta(days=40), deputies=[members["陆演练"]], visitors=2,
                          is_demo=True, matters=[{"content": "陈皮产业用地审批慢（演示）"}])
    st.submit_portal_matter(baisha, content="公园健身器材损坏，希望尽快维修（演示）")

    st.create_theme(staff, council, title="“代表进站 民意直通”主题活动（演示）", start=today - timedelta(days=30),
                    end=today, is_demo=True, description="全市各级人大代表集中进站接待选民（演示）")
    criteria = list(RatingCriterion.objects.filter(council=council, active=True).order_by("order"))
    for station, points in ((baisha, [15, 14, 23, 28, 14]), (waihai, [13, 12, 20, 22, 12])):
        st.score_station(staff, station, year=today.year,
                         scores={c.pk: (p, "现场查看台账及照片（演示）") for c, p in zip(criteria, points, strict=True)})
    return stations
