"""Deputies' liaison stations (代表联络站, WORKFLOWS.md §6): the registry, the reception rota (接待排班),
receptions (进站接待) and their matters, theme months (主题活动) and the star rating of stations.

Only :mod:`lvzhi.stations.actions` writes these rows. A matter is a case on the workflow engine
(:class:`lvzhi.workflow.models.Case`): its triage and feedback are transitions of the workflow data in
:mod:`lvzhi.stations.defaults`; the code asks the states' flags and the acts, never their codes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.cases import people
from lvzhi.members.access import is_council_leader, is_council_staff
from lvzhi.stations.choices import DeclineGround, HalfDay, MatterSource, Outcome, StationLevel
from lvzhi.workflow.models import Case


def default_star_bands() -> list[list[int]]:
    """Stars by total score: ``[[stars, minimum score], …]``, highest first (五星 ≥ 90 … 三星 ≥ 70) [C3]."""
    return [[5, 90], [4, 80], [3, 70]]


class StationPolicy(models.Model):
    """A council's rules for its stations, as data: how many days ahead a turn must be published
    (2 by default; 2–3 days in practice [C1][C2]), how many receptions a deputy should hold a year (at
    least one [C2]), and the star bands of the rating [C3]."""

    council = models.OneToOneField("members.Council", on_delete=models.CASCADE, related_name="station_policy",
                                   verbose_name=_("机构"))
    rota_notice_days = models.PositiveIntegerField(_("排班提前公布天数"), default=2)
    receptions_per_year = models.PositiveIntegerField(_("代表每年至少进站次数"), default=1)
    star_bands = models.JSONField(_("星级分数线"), default=default_star_bands)

    class Meta:
        verbose_name = _("联络站规则")
        verbose_name_plural = _("联络站规则")

    def __str__(self) -> str:
        return str(self.council)


class Station(models.Model):
    """A liaison station of a people's congress: where it is (district 区 → town or street 镇街, address),
    when it is open, the deputies attached to it (进站代表), its contact person and phone, and the accounts
    of its staff (联络站工作人员), who register receptions and matters."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="stations",
                                verbose_name=_("人大常委会"))
    name = models.CharField(_("站名"), max_length=100)
    level = models.CharField(_("类型"), max_length=10, choices=StationLevel.choices, default=StationLevel.ORDINARY)
    district = models.CharField(_("所在区（县）"), max_length=50)
    town = models.CharField(_("所在镇（街道）"), max_length=50)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    deputies = models.ManyToManyField("members.Member", blank=True, related_name="stations",
                                      verbose_name=_("进站代表"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="liaison_stations",
                                   verbose_name=_("联络站工作人员"))
    active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["district", "town", "-level", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="unique_station_name")]

    def __str__(self) -> str:
        return self.name

    def roles_of(self, user: Any) -> set[str]:
        """``staff`` (the council's deputies' affairs staff), ``station_staff`` (an account of this station),
        ``deputy`` (a deputy attached to it), ``leader``."""
        roles: set[str] = set()
        if not getattr(user, "is_authenticated", False):
            return roles
        if is_council_staff(user, self.council_id):
            roles.add("staff")
        if is_council_leader(user, self.council_id):
            roles.add("leader")
        if self.pk and self.staff.filter(pk=user.pk).exists():
            roles.add("station_staff")
        member_id = people.member_id_of(user)
        if member_id and self.pk and self.deputies.filter(pk=member_id).exists():
            roles.add("deputy")
        return roles


class RotaTurn(models.Model):
    """One published reception turn (接待排班): a station, a day, a half-day (and the hours), the deputies
    on duty. Published at least the policy's notice days ahead."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="turns", verbose_name=_("联络站"))
    date = models.DateField(_("日期"))
    half_day = models.CharField(_("时段"), max_length=4, choices=HalfDay.choices)
    hours = models.CharField(_("具体时间"), max_length=50, blank=True)
    topic = models.CharField(_("接待主题"), max_length=100, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    cancelled = models.BooleanField(_("已取消"), default=False)

    class Meta:
        verbose_name = _("接待排班")
        verbose_name_plural = _("接待排班")
        ordering = ["date", "half_day", "id"]
        constraints = [models.UniqueConstraint(fields=["station", "date", "half_day"], condition=models.Q(cancelled=False),
                                               name="unique_station_turn")]

    def __str__(self) -> str:
        return f"{self.station} {self.date:%Y-%m-%d} {self.get_half_day_display()}"


class TurnDeputy(models.Model):
    """A deputy on duty in a turn; ``confirmed_at`` once the deputy confirmed the turn."""

    turn = models.ForeignKey(RotaTurn, on_delete=models.CASCADE, related_name="duty")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="station_turns",
                               verbose_name=_("代表"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("值班代表")
        verbose_name_plural = _("值班代表")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["turn", "member"], name="unique_turn_deputy")]

    def __str__(self) -> str:
        return f"{self.turn} {self.member}"


class Reception(models.Model):
    """One reception at a station (进站接待): the day, the deputies present, how many visitors came; its
    matters are :class:`Matter` rows. ``token`` is the form's one-time key (a double submit is refused)."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("人大常委会"))
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="receptions",
                                verbose_name=_("联络站"))
    turn = models.ForeignKey(RotaTurn, null=True, blank=True, on_delete=models.SET_NULL, related_name="receptions",
                             verbose_name=_("排班"))
    date = models.DateField(_("接待日期"))
    deputies = models.ManyToManyField("members.Member", related_name="receptions", verbose_name=_("接待代表"))
    visitors = models.PositiveIntegerField(_("来访群众人数"), default=0)
    note = models.TextField(_("备注"), blank=True)
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("进站接待")
        verbose_name_plural = _("进站接待")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.station} {self.date:%Y-%m-%d}"


class Matter(Case):
    """A matter a citizen raised (群众反映的问题): at a reception, or left for a station on the portal.

    Triage (分类处理) is an act of the workflow that records ``outcome``: answered on the spot, passed to the
    town/street or up to the standing committee, turned into a deputy suggestion (``suggestion``, a case on
    the core, linked back by ``Suggestion.station_matters``), or declined with a ground and reason. Every
    matter is followed to feedback to the citizen and the deputy (``feedback_*``) [C1][C5]. ``solved_at`` is
    when a solution was recorded (on the spot, or the town's or committee's result).
    """

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("人大常委会"))
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="matters", verbose_name=_("联络站"))
    reception = models.ForeignKey(Reception, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="matters", verbose_name=_("接待"))
    source = models.CharField(_("来源"), max_length=10, choices=MatterSource.choices, default=MatterSource.RECEPTION)
    content = models.TextField(_("反映内容"))
    visitor_name = models.CharField(_("反映人"), max_length=50, blank=True)
    visitor_contact = models.CharField(_("联系方式"), max_length=50, blank=True)
    outcome = models.CharField(_("处理方式"), max_length=12, choices=Outcome.choices, blank=True)
    referred_to = models.CharField(_("转交单位"), max_length=100, blank=True)
    answer = models.TextField(_("答复或办理结果"), blank=True)
    decline_ground = models.CharField(_("不予受理情形"), max_length=12, choices=DeclineGround.choices, blank=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    suggestion = models.ForeignKey("suggestions.Suggestion", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="station_matters", verbose_name=_("代表建议"))
    solved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    feedback_citizen = models.TextField(_("向群众反馈"), blank=True)
    feedback_deputy = models.TextField(_("向代表反馈"), blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("群众反映事项")
        verbose_name_plural = _("群众反映事项")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["council", "created_at"])]

    def __str__(self) -> str:
        return self.content[:30]

    def deputy_ids(self) -> set[int]:
        """The deputies responsible: those present at the reception, else those attached to the station."""
        if self.reception_id:
            ids = set(self.reception.deputies.values_list("pk", flat=True))  # type: ignore[union-attr]
            if ids:
                return ids
        return set(self.station.deputies.values_list("pk", flat=True))

    def roles_of(self, user: Any) -> set[str]:
        """``staff``, ``leader``, ``station_staff`` (of its station), ``deputy`` (present at its reception or,
        for a portal matter, attached to its station)."""
        roles = self.station.roles_of(user) - {"deputy"}
        member_id = people.member_id_of(user)
        if member_id and member_id in self.deputy_ids():
            roles.add("deputy")
        return roles


class ThemeActivity(models.Model):
    """A theme month (主题活动, e.g. "代表进站 · 民意直通"): its figures are computed from the receptions and
    matters in ``start``–``end`` (see :func:`lvzhi.stations.queries.theme_figures`)."""

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("人大常委会"))
    title = models.CharField(_("主题"), max_length=100)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("主题活动")
        verbose_name_plural = _("主题活动")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.title


class RatingCriterion(models.Model):
    """A published criterion of the star rating (星级评定标准) with its maximum points [C3]."""

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("人大常委会"))
    code = models.SlugField(_("代码"), max_length=30)
    title = models.CharField(_("评定项目"), max_length=100)
    description = models.TextField(_("评分标准"), blank=True)
    max_points = models.PositiveIntegerField(_("分值"))
    order = models.PositiveIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("星级评定标准")
        verbose_name_plural = _("星级评定标准")
        ordering = ["council", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="unique_rating_criterion")]

    def __str__(self) -> str:
        return self.title


class StationRating(models.Model):
    """A station's rating for one year: the points per criterion (with evidence), the total and the stars
    by the policy's bands."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("联络站"))
    year = models.PositiveIntegerField(_("年度"))
    total = models.PositiveIntegerField(_("总分"), default=0)
    stars = models.PositiveIntegerField(_("星级"), default=0)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(_("评定时间"), auto_now=True)

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-year", "-total"]
        constraints = [models.UniqueConstraint(fields=["station", "year"], name="unique_station_rating")]

    def __str__(self) -> str:
        return f"{self.station} {self.year}"


class RatingScore(models.Model):
    rating = models.ForeignKey(StationRating, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RatingCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveIntegerField(_("得分"))
    evidence = models.TextField(_("佐证材料"))

    class Meta:
        ordering = ["criterion__order", "id"]
        constraints = [models.UniqueConstraint(fields=["rating", "criterion"], name="unique_rating_score")]

    def __str__(self) -> str:
        return f"{self.criterion} {self.points}"
