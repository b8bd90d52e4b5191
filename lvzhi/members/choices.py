"""Choice sets of the organisation (labels in zh-Hans, translated through Django's i18n)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilKind(models.TextChoices):
    CPPCC = "cppcc", _("政协")
    NPC = "npc", _("人大常委会")


class OrganisationKind(models.TextChoices):
    SECTOR = "sector", _("界别")
    PARTY_GROUP = "party_group", _("党派团体")
    PEOPLES_ORGANISATION = "peoples_org", _("人民团体")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
    LIAISON_GROUP = "liaison_group", _("联络组")
    MEMBER_GROUP = "member_group", _("委员小组")
    DELEGATION = "delegation", _("代表团")


class Role(models.TextChoices):
    """An account's role. Rights follow from it (see ``lvzhi.members.access``)."""

    MEMBER = "member", _("委员")
    STAFF = "staff", _("提案委员会工作人员")
    UNIT_CLERK = "unit_clerk", _("承办单位经办人")
    UNIT_LEADER = "unit_leader", _("承办单位负责人")
    LEADER = "leader", _("领导")
    ADMIN = "admin", _("系统管理员")
