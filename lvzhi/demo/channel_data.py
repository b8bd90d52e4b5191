"""Demo data of the public-opinion channels: 社情民意 reports, citizens' messages and an archive of answered
messages generated from templates (so the recommendation models have enough history to train on).

Every text here is written for the demo: places are real districts and towns of Jiangmen, people, firms,
phone numbers and leaders are fictional (leaders are named “市领导甲”, “省领导乙”…). Dates are relative:
messages are dated ``days`` calendar days before the demo is built; the reports published in the bulletin
carry their 2024 dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

#: The seven first-level classes of citizens' messages (as in the real message archives).
MESSAGE_CATEGORIES = ["城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生"]

#: The appointed informant (信息员) who is not a member: (name, organisation).
INFORMANT = ("关示范", "台山市某镇文化站（演示）")

#: Bulletin issues: key → (year, number, date, kind, title).
ISSUES: dict[str, tuple[int, int, date, str, str]] = {
    "2024-2": (2024, 2, date(2024, 3, 15), "single", "专刊：基层医疗"),
    "2024-3": (2024, 3, date(2024, 4, 12), "single", "专刊：农村留守儿童"),
    "2024-4": (2024, 4, date(2024, 5, 20), "combined", "综合"),
}

#: Public-opinion reports. keys: state (the state the demo takes it to), submitter ("member:<name>",
#: "org:<kind>:<name>" or "informant"), submitted (date or days before today; absent for a draft), title,
#: situation, analysis, suggestion; then as the state needs: edited_title, issue (key of ISSUES),
#: deliveries [(recipient kind, recipient)], instructions [(leader, level, date, text)],
#: forwards [(unit, answered by: "demo"/"staff"/None, answer)], outcome.
REPORTS: list[dict[str, Any]] = [
    {
        "state": "draft", "submitter": "member:陈演示",
        "title": "侨乡村道路灯亮灯率低 群众夜间出行不便",
        "situation": "台山、开平等地不少侨乡村道的路灯由华侨捐建，建成多年，灯具老化损坏后缺少维护主体，"
                     "部分村道入夜后一片漆黑。",
        "analysis": "村道路灯的产权、管护责任和电费承担没有明确，镇村两级经费有限，坏了没人修。",
        "suggestion": "一、摸清侨乡村道路灯底数，明确管护主体；\n二、将村道路灯维护纳入镇级公共服务经费；\n"
                      "三、推广太阳能路灯，降低运行成本。",
    },
    {
        "state": "submitted", "submitter": "member:梁示例", "submitted": 12,
        "title": "关于缓解城区中小学周边上下学交通拥堵的建议",
        "situation": "蓬江、江海城区部分中小学周边道路狭窄，上下学高峰接送车辆集中停靠，造成拥堵，存在安全隐患。",
        "analysis": "学校周边缺少临时停车和即停即走区域，错峰放学、步行巴士等做法推广不够。",
        "suggestion": "一、在学校周边设置即停即走车位和接送等候区；\n二、推行错峰上下学；\n"
                      "三、组织家长志愿者和交警、学校共同开展“护学岗”。",
    },
    {
        "state": "kept", "submitter": "org:party_group:民进江门市委会", "submitted": 40,
        "title": "关于规范校外培训机构预收费管理的建议",
        "situation": "部分校外培训机构一次性预收一年以上学费，机构关停后家长退费难。",
        "analysis": "预收费资金监管覆盖面不够，家长维权渠道不清楚。",
        "suggestion": "一、全面落实校外培训预收费资金监管；\n二、公布投诉渠道，及时处置退费纠纷。",
    },
    {
        "state": "withdrawn", "submitter": "member:陈演示", "submitted": 30,
        "title": "关于在江门站增设出租车候客区的建议",
        "situation": "江门站到站旅客较多，出租车候客区距离出站口较远。",
        "analysis": "（作者撤回：已了解到相关部门正在改造。）",
        "suggestion": "建议在出站口附近增设出租车候客区。",
    },
    {
        "state": "adopted", "submitter": "informant", "submitted": 20,
        "title": "台山海岛旅游旺季交通拥堵问题应引起重视",
        "situation": "国庆、暑期等旅游旺季，前往台山下川岛、上川岛的游客集中，山咀码头周边道路拥堵，"
                     "船票一票难求。",
        "analysis": "海岛旅游交通接驳能力不足，停车场、船班调度和客流预警缺少统筹。",
        "suggestion": "一、旺季增开船班并实行预约购票；\n二、在码头周边设置临时停车场和接驳车；\n"
                      "三、建立海岛客流预警发布机制。",
    },
    {
        "state": "signed_off", "submitter": "member:黄样例", "submitted": 26,
        "title": "新会柑种质资源保护要加强",
        "edited_title": "关于加强新会柑种质资源保护的建议",
        "situation": "新会陈皮产业快速发展，新会柑种植面积不断扩大，但种苗来源复杂，品种退化和混杂现象时有发生。",
        "analysis": "新会柑种质资源圃建设滞后，良种繁育体系不健全，种苗市场监管薄弱。",
        "suggestion": "一、建设新会柑种质资源圃，开展良种选育；\n二、建立种苗生产经营许可和溯源制度；\n"
                      "三、加大对无证种苗的查处力度。",
    },
    {
        "state": "answered", "submitter": "member:梁示例", "submitted": date(2024, 3, 28), "issue": "2024-3",
        "title": "农村留守儿童心理关爱工作亟需加强",
        "edited_title": "关于加强农村留守儿童心理关爱的建议",
        "situation": "我市部分镇村学校留守儿童比例较高，一些孩子长期缺少父母陪伴，出现厌学、孤僻等心理问题。",
        "analysis": "农村学校专职心理教师不足，家庭、学校、社区之间的关爱机制没有形成合力。",
        "suggestion": "一、为农村中小学配齐专兼职心理健康教师；\n二、建立留守儿童心理健康档案和定期筛查制度；\n"
                      "三、发挥“妇儿之家”、社工站作用，开展常态化关爱服务。",
        "deliveries": [("party_committee", "中共江门市委办公室"), ("government", "江门市人民政府办公室"),
                       ("higher_cppcc", "广东省政协办公厅")],
        "instructions": [
            ("市领导甲", "city", date(2024, 4, 18), "请市教育局会同市妇联、市民政局认真研究，提出具体措施。"),
            ("省领导乙", "province", date(2024, 5, 6), "此件反映的问题具有普遍性，请省教育厅研究参考。"),
        ],
        "forwards": [("江门市教育局", "demo",
                      "市教育局已将农村留守儿童心理关爱列入年度重点工作：一是今年秋季学期起为农村中小学新配心理健康"
                      "教师；二是建立留守儿童心理健康档案，每学期筛查一次；三是联合市妇联在各镇开展“护苗”关爱活动。")],
    },
    {
        "state": "published", "submitter": "org:party_group:九三学社江门市委会", "submitted": date(2024, 4, 22),
        "issue": "2024-4",
        "title": "关于加快推进城市排水管网雨污分流改造的建议",
        "situation": "城区部分片区仍为雨污合流管网，汛期污水溢流，影响河涌水质。",
        "analysis": "老城区地下管线复杂，改造资金需求大，施工组织难度高。",
        "suggestion": "一、编制雨污分流改造三年计划；\n二、结合老旧小区改造同步实施；\n三、探索多元化融资方式。",
        "deliveries": [("party_committee", "中共江门市委办公室"), ("government", "江门市人民政府办公室")],
    },
    {
        "state": "forwarded", "submitter": "member:吴示范", "submitted": date(2024, 4, 25), "issue": "2024-4",
        "title": "关于推进城市更新中历史建筑活化利用的建议",
        "situation": "长堤历史文化街区等片区有大量骑楼和侨建历史建筑，部分空置失修。",
        "analysis": "历史建筑产权分散，活化利用的政策、审批和资金支持不足。",
        "suggestion": "一、建立历史建筑活化利用项目库；\n二、简化历史建筑用途变更审批；\n三、引入社会资本参与运营。",
        "deliveries": [("government", "江门市人民政府办公室")],
        "instructions": [("市领导丙", "city", date(2024, 6, 3), "请市住房城乡建设局、市自然资源局研究办理。")],
        "forwards": [("江门市住房和城乡建设局", "staff",
                      "市住房城乡建设局已将历史建筑活化利用纳入城市更新专项规划，正在制定项目库管理办法。"),
                     ("江门市自然资源局", None, "")],
    },
    {
        "state": "closed", "submitter": "member:李模拟", "submitted": date(2024, 2, 26), "issue": "2024-2",
        "title": "关于提升镇卫生院急诊服务能力的建议",
        "situation": "恩平、台山等地部分镇卫生院夜间急诊力量薄弱，群众急病需长途转送。",
        "analysis": "基层医务人员待遇偏低、人才留不住，急救设备配置不足。",
        "suggestion": "一、推进市级医院与镇卫生院紧密型医联体建设；\n二、为中心镇卫生院配齐急救设备；\n"
                      "三、完善基层医务人员激励政策。",
        "deliveries": [("government", "江门市人民政府办公室")],
        "instructions": [("市领导甲", "city", date(2024, 3, 25), "请市卫生健康局抓紧研究落实。")],
        "forwards": [("江门市卫生健康局", "staff",
                      "市卫生健康局已推动5家市级医院与18家镇卫生院组建紧密型医联体，今年为中心镇卫生院新配救护车12辆。")],
        "outcome": "建议已被市卫生健康局采纳并纳入年度民生实事，感谢您对基层医疗工作的关注。",
    },
]

#: The not-filed proposal of the demo that staff convert into a report (title in lvzhi.demo.builder.NOT_FILED).
CONVERTED_PROPOSAL = "关于加强管理的建议"

#: Citizens' messages. keys: channel (portal / letter / visit / enterprise), category, days (before today),
#: title, body, place, state, unit, reply, and options: name, contact, enterprise, member, visit_leader,
#: rating, publish, reason (reject / return), today (posted on the portal now, through the portal action).
#: States: received, returned (routed, sent back by the unit), rejected, routed, overdue (routed long ago,
#: past its deadline), pending_signoff (reply drafted, awaiting the unit leader), replied, rerouted (rated
#: 不满意 then routed again), closed (rated by the citizen with ``rating``), closed_by_staff.
MESSAGES: list[dict[str, Any]] = [
    {
        "channel": "portal", "category": "城乡建设", "days": 75, "state": "closed", "rating": "satisfied",
        "publish": True, "unit": "江门市住房和城乡建设局", "place": "蓬江区白沙街道",
        "title": "白沙街道老旧小区加装电梯协调难",
        "body": "我住在蓬江区白沙街道一个九十年代建的老旧小区，楼里老人多，大家都想加装电梯，但一楼住户担心采光和噪音"
                "不同意，协调了一年多还是装不了。希望政府出台办法帮助协调，对低层住户给予适当补偿。",
        "reply": "您好！经了解，您所在小区已纳入今年老旧小区改造计划。市住房城乡建设局已会同白沙街道、社区组织业主"
                 "协商，明确了低层住户补偿和采光噪声处理方案，目前已有两个楼栋达成一致并进入设计阶段。感谢您的关注。",
    },
    {
        "channel": "portal", "category": "城乡建设", "days": 6, "state": "received", "place": "蓬江区白沙街道",
        "title": "白沙街道老旧小区加装电梯，低层住户不同意",
        "body": "我家住在蓬江区白沙街道一个九十年代建的老旧小区，楼里老人很多，大家都想加装电梯，但一楼住户担心采光和"
                "噪音一直不同意，协调了一年多还是装不成。希望政府出台办法帮忙协调，对低层住户给予适当补偿。",
    },
    {
        "channel": "portal", "category": "城乡建设", "days": 48, "state": "overdue",
        "unit": "江门市城市管理和综合执法局", "place": "台山市斗山镇",
        "title": "斗山镇侨乡村道路灯坏了几个月没人修",
        "body": "台山市斗山镇某村村道上的路灯是多年前华侨捐建的，现在大部分不亮了，晚上骑摩托车回家很危险，"
                "老人小孩晚上都不敢出门。向村里反映过，说没有经费。希望尽快修复。",
    },
    {
        "channel": "letter", "category": "城乡建设", "days": 33, "state": "routed", "unit": "江门市住房和城乡建设局",
        "place": "开平市赤坎镇", "name": "司徒某某",
        "title": "赤坎镇侨房旧居年久失修存在安全隐患",
        "body": "我家在开平市赤坎镇的祖屋是上世纪三十年代华侨建的，产权人多在海外，房屋外墙开裂、屋顶漏水，"
                "临街一侧存在倒塌风险。希望政府帮助联系产权人并给予修缮指导和补助。",
    },
    {
        "channel": "portal", "category": "城乡建设", "days": 21, "state": "replied", "publish": True,
        "unit": "江门市城市管理和综合执法局", "place": "江海区礼乐街道",
        "title": "礼乐街道某小区停车位严重不足",
        "body": "江海区礼乐街道某小区入住率越来越高，小区车位只有户数的一半，晚上车辆停满消防通道和小区外道路，"
                "经常堵塞。希望在周边规划建设公共停车场，或者开放附近空地作为临时停车位。",
        "reply": "您好！经现场核查，该小区周边已规划一处公共停车场，预计明年上半年建成，可提供约200个车位；"
                 "在此之前，我局已协调将附近一块闲置地块整理为临时停车场，并加强消防通道违停整治。",
    },
    {
        "channel": "portal", "category": "城乡建设", "days": 90, "state": "closed", "rating": "basically",
        "publish": True, "unit": "江门市水利局", "place": "新会区会城街道",
        "title": "会城街道一下大雨路面就积水",
        "body": "新会区会城街道某路段每逢大雨就积水，最深的地方没过小腿，电动车经常熄火，附近商铺也被水浸。"
                "希望尽快改造排水管道。",
        "reply": "您好！该路段积水主要因排水管管径偏小，已列入今年城区排涝改造项目，汛前已完成管道清淤，"
                 "扩建工程计划于年底前完工。",
    },
    {
        "channel": "portal", "category": "环境保护", "days": 58, "state": "closed", "rating": "satisfied",
        "publish": True, "unit": "江门市生态环境局", "place": "蓬江区环市街道",
        "title": "环市街道菜市场周边餐饮油烟扰民",
        "body": "蓬江区环市街道某菜市场周边开了好几家烧腊和大排档，排烟管道直接对着居民楼，每天油烟很大，"
                "家里窗户都不敢开。我叫陈某某，联系电话13800138000，希望有关部门尽快处理。",
        "reply": "您好！经现场检查，涉事的3家餐饮店已按要求安装油烟净化设施并改造排烟管道，我局将持续跟踪监测。"
                 "如仍有问题，可拨打12345热线反映。",
    },
    {
        "channel": "portal", "category": "环境保护", "days": 15, "state": "routed", "unit": "江门市生态环境局",
        "place": "江海区",
        "title": "江海区某工业园晚上有刺鼻异味",
        "body": "最近一个月，江海区某工业园附近晚上十点以后经常闻到刺鼻的化学异味，附近居民晚上睡不好，"
                "怀疑有企业夜间偷排废气，希望环保部门夜间突击检查。",
    },
    {
        "channel": "visit", "category": "环境保护", "days": 27, "state": "replied", "unit": "江门市生态环境局",
        "place": "鹤山市沙坪街道", "name": "李某",
        "title": "沙坪河支流发现有人偷排污水",
        "body": "来访群众反映鹤山市沙坪街道沙坪河某支流近期水色发黑、有异味，怀疑附近作坊偷排污水，要求查处。",
        "reply": "您好！经执法人员现场排查，已查明一家小作坊私设暗管排放清洗废水，已依法责令停产整改并立案处罚，"
                 "支流水质正在恢复。",
    },
    {
        "channel": "portal", "category": "环境保护", "days": 3, "state": "received", "place": "恩平市恩城街道",
        "title": "恩城街道建筑工地深夜施工噪音大",
        "body": "恩平市恩城街道某楼盘工地连续几天深夜十二点还在打桩，噪音很大，附近居民无法休息，"
                "请问夜间施工有没有审批？",
    },
    {
        "channel": "letter", "category": "环境保护", "days": 40, "state": "closed_by_staff",
        "unit": "江门市住房和城乡建设局", "place": "恩平市大田镇",
        "title": "农村生活垃圾清运不及时",
        "body": "恩平市大田镇某村垃圾收集点经常堆满，一周才清运一次，夏天臭味很大，蚊蝇滋生。希望增加清运频次。",
        "reply": "您好！已督促属地镇政府调整清运安排，该村垃圾收集点清运频次已由每周一次增加为每两天一次。",
    },
    {
        "channel": "portal", "category": "交通运输", "days": 10, "state": "routed", "unit": "江门市公安局",
        "place": "蓬江区",
        "title": "蓬江区某小学门口上下学时段严重拥堵",
        "body": "蓬江区某小学门口道路只有双向两车道，每天早上七点半和下午四点半接送孩子的车辆乱停，堵得水泄不通，"
                "孩子过马路很危险。希望交警在高峰期加强疏导，设置临时停车区。",
    },
    {
        "channel": "portal", "category": "交通运输", "days": 68, "state": "closed", "rating": "satisfied",
        "publish": True, "unit": "江门市交通运输局", "place": "开平市",
        "title": "希望增开江门站至开平的公交班次",
        "body": "从江门站坐公交到开平的班次太少，晚上八点以后就没有车了，高铁晚上到站的旅客很不方便。"
                "希望增加晚间班次。",
        "reply": "您好！经与公交企业研究，江门站至开平的城际公交已增开晚间班次，末班车延长至22:30。",
    },
    {
        "channel": "portal", "category": "交通运输", "days": 36, "state": "rerouted", "unit": "江门市公安局",
        "place": "鹤山市沙坪街道",
        "title": "鹤山某路口红绿灯时长设置不合理",
        "body": "鹤山市沙坪街道某十字路口东西方向绿灯只有15秒，早晚高峰车辆排队很长，行人过马路时间也不够。"
                "建议根据车流调整信号灯配时。",
        "reply": "您好！我局已对该路口信号灯配时进行评估，将在近期结合交通流量调查进行优化。",
        "reason": "答复未说明具体调整时间，群众不满意，请重新办理并明确整改期限。",
    },
    {
        "channel": "portal", "category": "教育文体", "days": 18, "state": "pending_signoff", "unit": "江门市教育局",
        "place": "江海区外海街道",
        "title": "外海街道新建小区配套学校什么时候开学",
        "body": "江海区外海街道某新建小区已经交楼两年，规划中的配套小学还没有动工，孩子只能去很远的学校上学。"
                "请问配套学校什么时候建成开学？",
        "reply": "您好！该小区配套小学已完成立项和设计，计划明年春季动工、2028年秋季开学。建成前，"
                 "片区适龄儿童统筹安排到就近学校就读，并开通校车接送。",
    },
    {
        "channel": "portal", "category": "教育文体", "days": 8, "state": "routed", "unit": "江门市教育局",
        "place": "新会区",
        "title": "新会区某小学课后服务收费不透明",
        "body": "新会区某小学课后服务每学期收费，但学校没有公布收费标准和服务内容，有的家长不知道可以自愿选择。"
                "希望规范课后服务收费。",
    },
    {
        "channel": "letter", "category": "教育文体", "days": 55, "state": "closed", "rating": "basically",
        "publish": True, "unit": "江门市教育局", "place": "蓬江区",
        "title": "希望学校体育场地节假日向社区开放",
        "body": "附近的中学有标准运动场，但是周末和假期都锁着门，社区居民没有地方锻炼。建议在保证安全的前提下，"
                "节假日向社区居民开放。",
        "reply": "您好！市教育局已印发学校体育场地向社会开放的实施方案，首批20所学校将于寒假起分时段预约开放。",
    },
    {
        "channel": "portal", "category": "教育文体", "days": 13, "state": "returned", "unit": "江门市教育局",
        "place": "开平市",
        "title": "开平市某镇图书馆开放时间太短",
        "body": "开平市某镇图书馆只在工作日上午开放，学生放学和周末都去不了，希望延长开放时间。",
        "reason": "镇图书馆属文化部门管理，不属我局职责，建议转市文化广电旅游体育局办理。",
    },
    {
        "channel": "portal", "category": "劳动和社会保障", "days": 12, "state": "routed",
        "unit": "江门市人力资源和社会保障局", "place": "江海区",
        "title": "某电子厂拖欠工人两个月工资",
        "body": "江海区某电子厂已经两个月没有发工资，老板说资金周转困难，工人有一百多人，很多人交不起房租。"
                "请劳动部门帮我们讨薪。",
    },
    {
        "channel": "visit", "category": "劳动和社会保障", "days": 45, "state": "closed_by_staff",
        "unit": "江门市人力资源和社会保障局", "place": "台山市台城街道", "name": "黄某",
        "title": "灵活就业人员社保缴费咨询",
        "body": "来访群众是外卖骑手，询问灵活就业人员如何参加养老保险、缴费基数怎么选、能否在网上办理。",
        "reply": "您好！灵活就业人员可通过“粤税通”小程序或到社保经办窗口办理参保登记，缴费基数可在规定范围内自主选择。"
                 "已当面向来访人解释并发放办事指南。",
    },
    {
        "channel": "portal", "category": "劳动和社会保障", "days": 24, "state": "replied", "publish": True,
        "unit": "江门市民政局", "place": "新会区会城街道",
        "title": "长者饭堂用餐补贴怎么申领",
        "body": "我父亲今年78岁，听说社区长者饭堂对高龄老人有用餐补贴，但不知道去哪里申请，需要什么材料。",
        "reply": "您好！80周岁以上老人及低保、特困等困难老人可享受长者饭堂用餐补贴，由本人或家属持身份证到所在社区"
                 "居委会申请。您父亲年满80周岁后即可申请。",
    },
    {
        "channel": "letter", "category": "劳动和社会保障", "days": 82, "state": "closed", "rating": "satisfied",
        "publish": True, "unit": "江门市医疗保障局", "place": "江门市",
        "title": "异地就医备案手续繁琐",
        "body": "我退休后在广州帮子女带孩子，在广州看病要先办理异地就医备案，以前要跑回江门办，很不方便。"
                "希望能在网上办理。",
        "reply": "您好！异地就医备案已可通过国家医保服务平台APP、“粤医保”小程序在线办理，即时生效，无需回江门。",
    },
    {
        "channel": "portal", "category": "商贸旅游", "days": 19, "state": "routed", "unit": "江门市文化广电旅游体育局",
        "place": "开平市塘口镇",
        "title": "开平碉楼景区周边停车乱收费",
        "body": "国庆去开平碉楼玩，景区周边有人私自划车位收停车费，一次收30元，没有任何票据。希望规范管理。",
    },
    {
        "channel": "portal", "category": "商贸旅游", "days": 64, "state": "closed", "rating": "satisfied",
        "publish": True, "unit": "江门市市场监督管理局", "place": "新会区",
        "title": "网购新会陈皮疑似假冒",
        "body": "在网上买了标注“新会陈皮”的产品，收到后发现气味和口感都不对，商家也提供不了产地证明，怀疑是假冒。"
                "希望加强陈皮地理标志产品监管。",
        "reply": "您好！我局已对涉事网店立案调查，并联合电商平台开展新会陈皮地理标志产品专项整治，"
                 "消费者可通过“新会陈皮溯源”平台查询产品信息。",
    },
    {
        "channel": "enterprise", "category": "商贸旅游", "days": 29, "state": "routed",
        "unit": "江门市工业和信息化局", "place": "蓬江区棠下镇",
        "enterprise": "江门某精密制造有限公司（演示）", "member": "陈演示", "visit_leader": "市领导丙",
        "title": "企业新厂房用电报装流程长",
        "body": "企业新厂房已竣工，申请高压用电报装，从申请到通电预计要三个多月，影响新生产线投产。"
                "希望协调供电部门压缩报装时间。",
    },
    {
        "channel": "enterprise", "category": "商贸旅游", "days": 50, "state": "replied",
        "unit": "江门市商务局", "place": "江海区",
        "enterprise": "江门某食品出口有限公司（演示）", "member": "余示范", "visit_leader": "市领导丁",
        "title": "出口企业跨境物流成本高",
        "body": "企业预制菜出口主要经深圳、广州港口，陆路运输成本高、时间长，希望加快江门港口外贸航线建设，"
                "提供通关便利。",
        "reply": "您好！我局已协调江门港新增两条外贸直航航线，并联合海关推行“提前申报”“抵港直装”，"
                 "预计企业物流成本可降低约一成。",
    },
    {
        "channel": "enterprise", "category": "劳动和社会保障", "days": 85, "state": "closed_by_staff",
        "unit": "江门市人力资源和社会保障局", "place": "鹤山市",
        "enterprise": "鹤山某五金制品有限公司（演示）", "member": "吴示范", "visit_leader": "市领导甲",
        "title": "企业招工难、技能人才短缺",
        "body": "企业数控、焊接等技能岗位长期招不到人，希望政府组织校企合作订单班，并给予培训补贴。",
        "reply": "您好！我局已将该企业纳入技能人才“订单式”培养计划，联合本地技工院校开设数控、焊接订单班，"
                 "符合条件的培训可申领职业技能培训补贴。",
    },
    {
        "channel": "portal", "category": "卫生计生", "days": 71, "state": "closed", "rating": "basically",
        "publish": True, "unit": "江门市卫生健康局", "place": "江海区",
        "title": "社区卫生服务中心周末不开诊",
        "body": "我们社区卫生服务中心周六日都不开门，上班族只有周末有时间看病、打疫苗，希望周末也能开诊。",
        "reply": "您好！经协调，辖区社区卫生服务中心已于本月起实行周六上午开诊，预防接种门诊同步开放。",
    },
    {
        "channel": "portal", "category": "卫生计生", "days": 16, "state": "routed", "unit": "江门市卫生健康局",
        "place": "台山市",
        "title": "台山某镇卫生院没有儿科医生",
        "body": "台山市某镇卫生院没有儿科医生，小孩发烧只能开车一个多小时去市区医院，希望加强镇卫生院儿科建设。",
    },
    {
        "channel": "portal", "category": "卫生计生", "today": True, "state": "received", "place": "蓬江区",
        "title": "流感疫苗预约太难",
        "body": "最近想给家里老人和孩子打流感疫苗，社区卫生服务中心的号一放出来就约满了，希望增加接种名额。",
    },
    {
        "channel": "portal", "category": "城乡建设", "today": True, "state": "received", "place": "蓬江区潮连街道",
        "title": "建议在潮连岛绿道沿线增设公共厕所",
        "body": "潮连岛绿道周末骑行和散步的人很多，但沿线十几公里只有一两个公共厕所，很不方便。",
    },
    {
        "channel": "letter", "days": 52, "state": "rejected", "place": "蓬江区",
        "title": "邻居装修产生纠纷请求调解",
        "body": "楼上邻居装修时把我家天花板弄得渗水，协商赔偿没有结果，请政协帮忙调解。",
        "reason": "属邻里民事纠纷，不属本平台受理范围，建议向所在社区人民调解委员会申请调解或依法提起诉讼。",
    },
]

#: The archive of answered messages, generated from templates (``{place}`` filled in): category →
#: (units, issues as (title, body)). Enough rows per category for the category and unit models to train.
ARCHIVE_PLACES = ["蓬江区白沙街道", "蓬江区环市街道", "蓬江区杜阮镇", "蓬江区棠下镇", "江海区礼乐街道", "江海区外海街道",
                  "新会区会城街道", "新会区司前镇", "台山市台城街道", "台山市斗山镇", "开平市长沙街道", "开平市赤坎镇",
                  "鹤山市沙坪街道", "鹤山市址山镇", "恩平市恩城街道", "恩平市大田镇"]
ARCHIVE: dict[str, tuple[list[str], list[tuple[str, str]]]] = {
    "城乡建设": (["江门市住房和城乡建设局", "江门市城市管理和综合执法局", "江门市自然资源局"], [
        ("{place}老旧小区加装电梯难", "{place}某老旧小区住户多为老人，想加装电梯但低层住户不同意，希望政府协调并给予补贴。"),
        ("{place}小区路灯长期不亮", "{place}某小区和周边道路的路灯坏了很久没有维修，晚上出行很不安全。"),
        ("{place}违章搭建占用消防通道", "{place}某小区有业主在楼顶和消防通道违章搭建，存在火灾隐患，请依法拆除。"),
        ("{place}小区停车位不足乱停车", "{place}某小区车位严重不足，车辆乱停占用消防通道，希望增建停车场。"),
        ("{place}楼盘延期交房", "{place}某楼盘合同约定去年交房，至今仍未交付，开发商不给说法，请住建部门督促。"),
        ("{place}村道坑洼不平", "{place}某村村道路面坑洼，下雨积水，村民出行困难，希望尽快修复硬化。"),
    ]),
    "环境保护": (["江门市生态环境局"], [
        ("{place}餐饮店油烟扰民", "{place}某餐饮店油烟直排居民楼，气味很大，窗户都不敢开，请环保部门处理。"),
        ("{place}工厂夜间排放异味", "{place}附近工厂晚上排放刺鼻气体，居民夜里被熏醒，怀疑偷排废气。"),
        ("{place}河涌水质发黑发臭", "{place}某河涌水体发黑发臭，周边有生活污水直排，希望加快整治。"),
        ("{place}工地夜间施工噪音扰民", "{place}某建筑工地深夜还在施工，噪音很大，附近居民无法休息。"),
        ("{place}有人焚烧垃圾污染空气", "{place}某空地经常有人焚烧垃圾和废旧电线，黑烟很大，气味刺鼻。"),
        ("{place}养殖场污水直排", "{place}某养猪场污水直接排入农田和水沟，臭气熏天，影响村民生活。"),
    ]),
    "交通运输": (["江门市交通运输局", "江门市公安局"], [
        ("{place}学校周边上下学交通拥堵", "{place}某学校门口上下学时段接送车辆乱停，道路严重拥堵，孩子过马路危险。"),
        ("{place}公交班次太少", "{place}公交线路班次少、间隔长，末班车太早，居民出行不便，希望增加班次。"),
        ("{place}路口红绿灯配时不合理", "{place}某路口信号灯配时不合理，高峰期车辆排长队，行人过街时间不够。"),
        ("{place}道路破损影响通行", "{place}某道路路面破损严重，大货车经过时尘土飞扬，希望尽快维修。"),
        ("{place}希望开通社区微循环公交", "{place}新建小区较多，离公交站较远，希望开通社区微循环公交线路。"),
        ("{place}网约车在路边违停揽客", "{place}某路段网约车和摩托车长期违停揽客，造成拥堵，请交警加强管理。"),
    ]),
    "教育文体": (["江门市教育局", "江门市文化广电旅游体育局"], [
        ("{place}新建小区配套学校迟迟未建", "{place}某新建小区交楼多年，配套学校还没有建，孩子上学要跑很远。"),
        ("{place}小学学位紧张入学难", "{place}片区适龄儿童多，公办小学学位紧张，随迁子女入学难，希望增加学位。"),
        ("{place}学校课后服务收费问题", "{place}某学校课后服务收费标准不公开，家长不清楚是否自愿，希望规范。"),
        ("{place}校外培训机构跑路退费难", "{place}某校外培训机构突然关门，预交的学费退不回来，请教育部门介入。"),
        ("{place}希望学校运动场向社区开放", "{place}附近学校运动场节假日不开放，居民没有锻炼场地，希望错时开放。"),
        ("{place}图书馆文化站开放时间短", "{place}的图书馆和文化站开放时间太短，学生放学后和周末都去不了。"),
    ]),
    "劳动和社会保障": (["江门市人力资源和社会保障局", "江门市医疗保障局", "江门市民政局"], [
        ("{place}工厂拖欠工人工资", "{place}某工厂拖欠工人两个月工资，老板一直推脱，请劳动监察部门帮忙讨薪。"),
        ("{place}灵活就业人员社保缴费咨询", "{place}居民询问灵活就业人员怎样参加养老保险，缴费基数怎么选。"),
        ("{place}医保异地就医备案不方便", "{place}居民反映异地就医备案手续繁琐，希望能在网上办理、即时生效。"),
        ("{place}长者饭堂补贴申领咨询", "{place}居民询问社区长者饭堂的用餐补贴怎样申领，需要哪些材料。"),
        ("{place}企业不给员工买社保", "{place}某公司入职半年不给员工购买社会保险，员工要求补缴。"),
        ("{place}高龄津贴发放延迟", "{place}老人反映高龄津贴几个月没有到账，不知道什么原因。"),
    ]),
    "商贸旅游": (["江门市商务局", "江门市市场监督管理局", "江门市文化广电旅游体育局"], [
        ("{place}景区周边停车乱收费", "{place}景区周边有人私划车位收取停车费，不开票据，希望规范管理。"),
        ("{place}商家销售假冒陈皮", "{place}有商家把外地柑皮当作新会陈皮出售，价格很高，请市场监管部门查处。"),
        ("{place}预付卡商家关门退费难", "{place}某健身房和美容店办卡后突然关门，预付费退不回来，请帮忙维权。"),
        ("{place}农贸市场缺斤少两", "{place}某农贸市场部分摊位电子秤不准，缺斤少两，请加强计量监管。"),
        ("{place}企业出口物流成本高", "{place}出口企业反映港口航线少、陆路运输成本高，希望提供通关便利。"),
        ("{place}民宿无证经营安全隐患", "{place}有民宿无证经营，消防设施不全，旅游旺季游客很多，存在安全隐患。"),
    ]),
    "卫生计生": (["江门市卫生健康局"], [
        ("{place}社区卫生服务中心周末不开诊", "{place}社区卫生服务中心周末不开门，上班族看病和打疫苗很不方便。"),
        ("{place}镇卫生院缺少儿科医生", "{place}镇卫生院没有儿科医生，孩子生病要跑到市区医院看，希望加强儿科建设。"),
        ("{place}疫苗接种预约难", "{place}社区疫苗接种名额少，一放号就约满，希望增加接种名额和时段。"),
        ("{place}医院看病排队时间长", "{place}某医院挂号、缴费、取药排队时间长，希望推广线上预约和诊间支付。"),
        ("{place}诊所无证行医", "{place}有诊所没有医疗机构执业许可证却在给病人输液，存在安全风险，请卫健部门查处。"),
        ("{place}120救护车到达慢", "{place}居民反映拨打120后救护车到达时间较长，希望在镇里增设急救站点。"),
    ]),
}
#: Which of the category's units answered each issue of ARCHIVE (index into its units).
ARCHIVE_UNIT: dict[str, list[int]] = {
    "城乡建设": [0, 1, 1, 1, 0, 0],
    "环境保护": [0, 0, 0, 0, 0, 0],
    "交通运输": [1, 0, 1, 0, 0, 1],
    "教育文体": [0, 0, 0, 0, 0, 1],
    "劳动和社会保障": [0, 0, 1, 2, 0, 2],
    "商贸旅游": [2, 1, 1, 1, 0, 2],
    "卫生计生": [0, 0, 0, 0, 0, 0],
}
#: Generated archive rows per category, and the topic that grows in the latest month (for the hot-topic
#: trend): (category, index of the issue in ARCHIVE) with GROWING_BURST more rows in the last 4 weeks.
ARCHIVE_PER_CATEGORY = 18
GROWING_TOPIC = ("城乡建设", 0)
GROWING_BURST = 7
#: The archive spans this many days before today (the hot-topic window is the latest 90 days).
ARCHIVE_DAYS = 150
