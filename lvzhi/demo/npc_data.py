"""The demo people's congress: a standing committee shaped like Jiangmen's (江门市人大常委会), from the seeds.

Real (public) parts, from ``shared/seeds/004_*.txt`` (the standing committee's work report "2024年2月1日在江门市
第十六届人民代表大会第四次会议上") and ``003_*.txt`` (a newspaper page on its supervision work): the body's name,
the 16th congress and its 3rd and 4th sessions (the 3rd session received 219 deputies' suggestions, all
assigned, 10 of them supervised as key suggestions), the county-level divisions that elect the delegations
(代表团) and the city's government departments as handling units. The special committees and working
bodies are the standard ones of a prefecture-level people's congress; the deputies' affairs office is the
代表选举联络任免工作委员会 (选任联工委), the staff of the deputies' work.

Fictional parts: every deputy (each given name is 演示/示例/样例/模拟…), their workplaces, the staff and leader
accounts. Session dates other than the 4th session's opening (2024-02-01, seed 004) are approximate.
"""

from __future__ import annotations

from datetime import date

COUNCIL_NAME = "江门市人民代表大会常务委员会"
COUNCIL_SHORT = "江门市人大常委会"
TERM_NUMBER = 16
TERM_START = date(2022, 1, 1)

#: number: (suggestion window start, plenary start, plenary end), like the CPPCC's sessions.
SESSIONS: dict[int, tuple[date, date, date]] = {
    3: (date(2023, 1, 3), date(2023, 2, 15), date(2023, 2, 18)),
    4: (date(2024, 1, 2), date(2024, 2, 1), date(2024, 2, 4)),  # report delivered 2024-02-01 (seed 004)
}

#: The delegations (代表团): one per county-level division of Jiangmen.
DIVISIONS = ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]
DELEGATIONS = [f"{d}代表团" for d in DIVISIONS]

SPECIAL_COMMITTEES = ["法制委员会", "财政经济委员会", "教育科学文化卫生委员会", "城乡建设环境资源保护委员会",
                      "华侨外事民族宗教委员会", "农业农村委员会", "社会建设委员会"]
#: The standing committee's working bodies; 代表选举联络任免工作委员会 serves the deputies (its staff: demo-npc-staff).
WORKING_BODIES = ["代表选举联络任免工作委员会", "法制工作委员会", "预算工作委员会"]
DEPUTIES_OFFICE = "代表选举联络任免工作委员会"

#: name, short name: the government departments that answer deputies' suggestions.
UNITS: list[tuple[str, str]] = [
    ("江门市发展和改革局", "市发展改革局"), ("江门市教育局", "市教育局"), ("江门市财政局", "市财政局"),
    ("江门市交通运输局", "市交通运输局"), ("江门市住房和城乡建设局", "市住房城乡建设局"),
    ("江门市生态环境局", "市生态环境局"), ("江门市农业农村局", "市农业农村局"), ("江门市卫生健康局", "市卫生健康局"),
    ("江门市人力资源和社会保障局", "市人力资源社会保障局"), ("江门市侨务局", "市侨务局"),
    ("江门市水利局", "市水利局"), ("江门市城市管理和综合执法局", "市城管执法局"),
]

#: Fictional deputies: (name, gender, delegation division, special committee or "", workplace).
DEPUTIES: list[tuple[str, str, str, str, str]] = [
    ("周演示", "男", "蓬江区", "财政经济委员会", "某电子企业总经理（演示）"),
    ("郑示例", "女", "蓬江区", "", "某社区党委书记（演示）"),
    ("关样例", "男", "江海区", "城乡建设环境资源保护委员会", "某建筑设计院院长（演示）"),
    ("卢模拟", "女", "江海区", "", "某小学校长（演示）"),
    ("陆演练", "男", "新会区", "农业农村委员会", "某陈皮合作社理事长（演示）"),
    ("容示范", "女", "新会区", "", "某医院护士长（演示）"),
    ("伍样本", "男", "台山市", "华侨外事民族宗教委员会", "某侨乡村委会主任（演示）"),
    ("雷演示", "女", "台山市", "", "某水产养殖企业负责人（演示）"),
    ("邝示例", "男", "开平市", "教育科学文化卫生委员会", "某碉楼文化研究会会长（演示）"),
    ("胡样例", "女", "开平市", "", "某律师事务所律师（演示）"),
    ("叶模拟", "男", "鹤山市", "法制委员会", "某镇人大主席（演示）"),
    ("钟演练", "女", "鹤山市", "", "某纺织企业工会主席（演示）"),
    ("岑示范", "男", "恩平市", "社会建设委员会", "某温泉度假区总经理（演示）"),
    ("苏样本", "女", "恩平市", "", "某农村电商创业者（演示）"),
]
#: The deputies with demo accounts: the first, the second, and the one who also leads a handling unit.
DEMO_DEPUTY, DEMO_DEPUTY2, DEMO_DUAL_DEPUTY = "周演示", "关样例", "邝示例"
#: The unit whose leader is also a deputy (the account with two capacities).
DUAL_UNIT = "江门市交通运输局"

#: A county-level standing committee under the city's (the parent-child example).
CHILD_NAME = "江门市蓬江区人民代表大会常务委员会"
CHILD_SHORT = "蓬江区人大常委会"
