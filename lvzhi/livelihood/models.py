"""Livelihood projects (民生实事) voted by deputies: collection, screening, the candidate list, the secret vote
(online and paper) and the year-end satisfaction evaluation. Rules: WORKFLOWS.md §4, issue 7; counting in
:mod:`lvzhi.livelihood.counting`.

Secrecy (issue 7 §3, 选举法 第四十条 无记名投票). WHO voted and WHAT was voted are kept apart:

- :class:`VoteRoll` — one row per deputy who received a ballot (online, or a paper ballot issued by staff),
  unique per vote and deputy: a second ballot is refused by the database itself. No timestamp.
- :class:`Ballot` — the marks, with no foreign key to a deputy or a roll row, no timestamp, and a random
  UUID primary key instead of an autoincrement id, so that neither the ids nor a creation time give the
  order in which ballots were cast (roll rows have autoincrement ids; a ballot id ordered like them would
  link ballot n to voter n). The app only ever lists ballots ordered by their random receipt code.
  The roll row and the ballot are written in one transaction, so either both exist or neither.
  Residual risk, not closed by the app: someone with raw database access could read the physical
  insertion order (SQLite's hidden rowid, PostgreSQL's ctid) of both tables and match them.
- The receipt code (回执码) is random and shown once to the deputy; with it anyone can check that the
  ballot is among those counted (:func:`lvzhi.livelihood.actions.verify_receipt`), not who cast it.
- Audit entries record that a deputy voted (target: the roll row), never the ballot.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.members.models import Council, HandlingUnit, Member
from lvzhi.workflow.models import Case


class Source(models.TextChoices):
    DEPUTY = "deputy", _("代表提出")
    PUBLIC = "public", _("群众提出")
    STAFF = "staff", _("工作人员登记")


class Screening(models.TextChoices):
    PENDING = "pending", _("待审查")
    ACCEPTED = "accepted", _("列入候选")
    REJECTED = "rejected", _("不予列入")
    MERGED = "merged", _("已合并")
    POOL = "pool", _("转入项目库")


class Channel(models.TextChoices):
    ONLINE = "online", _("电子表决")
    PAPER = "paper", _("纸质选票")


class CollectionWindow(models.Model):
    """The collection period (征集期) of one council's livelihood projects for one year."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    year = models.PositiveIntegerField(_("年度"))
    opens = models.DateField(_("征集开始"))
    closes = models.DateField(_("征集截止"))

    class Meta:
        verbose_name = _("民生实事征集")
        verbose_name_plural = _("民生实事征集")
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="one_window_per_year")]
        ordering = ["council", "-year"]

    def __str__(self) -> str:
        return f"{self.year}"

    def is_open(self, day: date | None = None) -> bool:
        """Whether ``day`` (default today) is within the collection period, both ends included."""
        today = day or timezone.localdate()
        return self.opens <= today <= self.closes


class ProjectSuggestion(models.Model):
    """A suggested livelihood project (民生实事项目建议) and its screening (审查) outcome with the reason."""

    window = models.ForeignKey(CollectionWindow, on_delete=models.PROTECT, related_name="suggestions",
                               verbose_name=_("征集"))
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    title = models.CharField(_("项目名称"), max_length=200)
    content = models.TextField(_("项目内容"), blank=True)
    place = models.CharField(_("实施地点"), max_length=200, blank=True)
    investment = models.DecimalField(_("估算投资（万元）"), max_digits=12, decimal_places=2,
                                     null=True, blank=True)
    beneficiaries = models.CharField(_("受益群体"), max_length=200, blank=True)
    proposed_unit = models.ForeignKey(HandlingUnit, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("建议责任单位"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("提出代表"))
    proposer_name = models.CharField(_("提出人"), max_length=100, blank=True)
    proposer_contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    screening = models.CharField(_("审查结果"), max_length=10, choices=Screening.choices,
                                 default=Screening.PENDING)
    screening_reason = models.TextField(_("审查意见"), blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged", verbose_name=_("并入"))
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="carried_to", verbose_name=_("转自项目库"))
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("审查人"))
    screened_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    similar_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("疑似重复"))
    similarity = models.FloatField(_("相似度"), null=True, blank=True)

    class Meta:
        verbose_name = _("民生实事项目建议")
        verbose_name_plural = _("民生实事项目建议")
        ordering = ["window", "id"]

    def __str__(self) -> str:
        return self.title


class Aspect(models.TextChoices):
    FEASIBILITY = "feasibility", _("可行性")
    LEGALITY = "legality", _("合法性审查")
    DEBT = "debt", _("债务风险")
    COST = "cost", _("投资估算")


class Conclusion(models.TextChoices):
    PASS = "pass", _("可行")
    CONCERN = "concern", _("有条件可行")
    FAIL = "fail", _("不可行")


class Assessment(models.Model):
    """One assessment of a project suggestion in screening (评估): an aspect (feasibility, legality review,
    debt risk, cost), by the council's staff or a handling unit, with a conclusion and its reasons."""

    project = models.ForeignKey(ProjectSuggestion, on_delete=models.CASCADE, related_name="assessments",
                                verbose_name=_("项目建议"))
    aspect = models.CharField(_("评估事项"), max_length=12, choices=Aspect.choices)
    unit = models.ForeignKey(HandlingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("评估单位"))
    conclusion = models.CharField(_("评估结论"), max_length=10, choices=Conclusion.choices)
    opinion = models.TextField(_("评估意见"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("评估人"))
    at = models.DateTimeField(_("评估时间"), default=timezone.now)

    class Meta:
        verbose_name = _("项目评估")
        verbose_name_plural = _("项目评估")
        ordering = ["project", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}：{self.get_conclusion_display()}"


class Vote(models.Model):
    """One ballot session (票决) on a candidate list: ``places`` to elect, ``electorate`` = all deputies
    (the majority is over them). Opens and closes at the scheduled times or when the presiding officer
    says so (``opened_at``/``closed_at``). A re-vote among tied candidates is a new Vote whose ``parent`` is
    the tied vote. ``result`` holds the count (:meth:`VoteCount.as_json` shape) once closed and counted."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    window = models.ForeignKey(CollectionWindow, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="votes", verbose_name=_("征集"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="revotes",
                               verbose_name=_("再次投票所针对的表决"))
    title = models.CharField(_("表决名称"), max_length=200)
    places = models.PositiveIntegerField(_("应选项目数"))
    electorate = models.PositiveIntegerField(_("全体代表人数"))
    opens_at = models.DateTimeField(_("预定开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("预定结束时间"), null=True, blank=True)
    list_approved_at = models.DateTimeField(_("候选名单通过时间"), null=True, blank=True)
    list_meeting_on = models.DateField(_("常委会会议日期"), null=True, blank=True)
    opened_at = models.DateTimeField(_("宣布开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("宣布结束时间"), null=True, blank=True)
    counted_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    result = models.JSONField(_("计票结果"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("民生实事票决")
        verbose_name_plural = _("民生实事票决")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: datetime | None = None) -> bool:
        """Voting is possible: the list is approved, it was opened (by the officer, or its scheduled
        opening has passed) and it is not closed (by the officer, or its scheduled closing has passed)."""
        moment = now or timezone.now()
        if self.list_approved_at is None or self.closed_at is not None:
            return False
        started = self.opened_at is not None or (self.opens_at is not None and self.opens_at <= moment)
        ended = self.closes_at is not None and self.closes_at <= moment
        return started and not ended

    def is_closed(self, now: datetime | None = None) -> bool:
        """Voting has ended: closed by the officer, or the scheduled closing time has passed."""
        moment = now or timezone.now()
        return self.closed_at is not None or (self.closes_at is not None and self.closes_at <= moment)


class Candidate(models.Model):
    """A project on a vote's candidate list, with its number on the ballot (``code``, e.g. ``01``), the
    investment (万元), completion date and responsible unit; and, once counted, its tally and result."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("表决"))
    code = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("项目名称"), max_length=200)
    suggestion = models.ForeignKey(ProjectSuggestion, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="candidacies", verbose_name=_("项目建议"))
    investment = models.DecimalField(_("投资（万元）"), max_digits=12, decimal_places=2, default=Decimal(0))
    completion = models.DateField(_("计划完成时间"), null=True, blank=True)
    unit = models.ForeignKey(HandlingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("责任单位"))
    yes = models.PositiveIntegerField(_("赞成"), default=0)
    no = models.PositiveIntegerField(_("反对"), default=0)
    abstain = models.PositiveIntegerField(_("弃权"), default=0)
    outcome = models.CharField(_("结果"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        ordering = ["vote", "code"]
        constraints = [models.UniqueConstraint(fields=["vote", "code"], name="one_code_per_vote")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class VoteRoll(models.Model):
    """WHO received a ballot: one row per deputy and vote (unique — a second ballot is refused), online or
    paper. No timestamp and no link to the ballot (see the module docstring)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="roll", verbose_name=_("表决"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("代表"))
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("投票登记")
        verbose_name_plural = _("投票登记")
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_ballot_per_deputy")]

    def __str__(self) -> str:
        return f"{self.vote_id}:{self.member_id}"


class PaperTally(models.Model):
    """An imported tally workbook of paper ballots; ``digest`` (SHA-256 of the file) is unique per vote so
    the same tally cannot be imported twice."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("表决"))
    digest = models.CharField(_("文件摘要"), max_length=64)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    ballots = models.PositiveIntegerField(_("选票数"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("导入人"))
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("纸质选票计票表")
        verbose_name_plural = _("纸质选票计票表")
        constraints = [models.UniqueConstraint(fields=["vote", "digest"], name="one_import_per_tally")]

    def __str__(self) -> str:
        return self.filename or self.digest[:12]


def new_receipt() -> str:
    """A random receipt code: 12 characters of an unambiguous alphabet (about 60 bits)."""
    import secrets

    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Ballot(models.Model):
    """WHAT was voted: the marks of one ballot, ``{candidate code: "赞成"|"反对"|"弃权"|other|null}``
    (paper ballots keep their marks as read, so an invalid one stays invalid and auditable). Anonymous: a
    random UUID key, no timestamp, no link to a deputy or the roll (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("表决"))
    receipt = models.CharField(_("回执码"), max_length=20, unique=True, default=new_receipt)
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    tally = models.ForeignKey(PaperTally, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("计票表"))
    paper_number = models.CharField(_("选票编号"), max_length=50, blank=True)
    marks = models.JSONField(_("表决内容"))

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["vote", "receipt"]

    def __str__(self) -> str:
        return self.receipt


class Evaluation(models.Model):
    """The year-end satisfaction evaluation (满意度测评) of the elected projects of one council and year,
    secret like the vote: :class:`EvaluationRoll` (who) apart from :class:`EvaluationForm` (what)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("测评名称"), max_length=200)
    projects = models.ManyToManyField(Candidate, related_name="evaluations", verbose_name=_("测评项目"))
    electorate = models.PositiveIntegerField(_("全体代表人数"))
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    result = models.JSONField(_("测评结果"), null=True, blank=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None


class EvaluationRoll(models.Model):
    """WHO returned a satisfaction form (unique per evaluation and deputy)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="roll",
                                   verbose_name=_("测评"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("代表"))

    class Meta:
        verbose_name = _("测评登记")
        verbose_name_plural = _("测评登记")
        constraints = [models.UniqueConstraint(fields=["evaluation", "member"], name="one_form_per_deputy")]

    def __str__(self) -> str:
        return f"{self.evaluation_id}:{self.member_id}"


class EvaluationForm(models.Model):
    """WHAT a deputy rated: ``{candidate id (str): "满意"|"基本满意"|"不满意"}``; anonymous like a ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="forms",
                                   verbose_name=_("测评"))
    receipt = models.CharField(_("回执码"), max_length=20, unique=True, default=new_receipt)
    ratings = models.JSONField(_("测评内容"))

    class Meta:
        verbose_name = _("满意度测评表")
        verbose_name_plural = _("满意度测评表")
        ordering = ["evaluation", "receipt"]

    def __str__(self) -> str:
        return self.receipt


class DeliveryProject(Case):
    """An elected livelihood project in delivery (实施), a case on the handling core (case type
    ``livelihood_project``): numbered per year, assigned to its responsible unit (and co-responsible
    units) through :func:`lvzhi.cases.actions.assign`, with a plan of :class:`Milestone` s and monthly
    :class:`ProgressReport` s; the unit's completion report is the core's reply (drafted, signed off),
    which moves the case to its completed state. Supervision (批示, 回头看, 重点督办) is the core's."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="delivery",
                                     verbose_name=_("票决项目"))
    number = models.CharField(_("项目编号"), max_length=40, blank=True, db_index=True)
    title = models.CharField(_("项目名称"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    investment = models.DecimalField(_("投资（万元）"), max_digits=12, decimal_places=2, default=Decimal(0))
    due = models.DateField(_("计划完成时间"), null=True, blank=True)
    is_key = models.BooleanField(_("重点督办"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    assignments = GenericRelation("cases.Assignment", related_query_name="livelihood_project")
    follow_ups = GenericRelation("cases.FollowUp", related_query_name="livelihood_project")
    instructions = GenericRelation("cases.Instruction", related_query_name="livelihood_project")

    class Meta:
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        ordering = ["-year", "number", "id"]

    def __str__(self) -> str:
        return self.title

    # -- the interface of lvzhi.cases.registry.CaseModel -------------------------------------------------

    def roles_of(self, user: Any) -> set[str]:
        """``staff``/``admin`` and ``leader`` of the council, ``unit_clerk``/``unit_leader`` of a unit the
        project is assigned to (not withdrawn)."""
        from lvzhi.cases.people import council_and_unit_roles

        return council_and_unit_roles(self, user)

    def party_user_ids(self) -> set[int]:
        """Nobody submitted a delivery project: the deputies follow it on its public progress page."""
        return set()

    def evaluator_ids(self, joint_reply_mode: str) -> list[int]:
        """The completion report is not rated by a form of the core: deputies rate the project in the
        year-end satisfaction evaluation (:class:`Evaluation`)."""
        return []

    def number_context(self) -> dict[str, Any]:
        return {"year": self.year, "term": "", "session": "", "term_id": None, "session_id": None}

    def percent_done(self) -> int:
        """The percent of the latest progress report (0 without any)."""
        report = self.progress.order_by("-month").first()
        return report.percent if report else 0


class Milestone(models.Model):
    """A step of a project's delivery plan with its due date; ``done_on`` when reached."""

    project = models.ForeignKey(DeliveryProject, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("项目"))
    title = models.CharField(_("节点"), max_length=200)
    due = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("实施节点")
        verbose_name_plural = _("实施节点")
        ordering = ["project", "due", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A unit's monthly progress report: ``percent`` done (0–100), what was done, problems met."""

    project = models.ForeignKey(DeliveryProject, on_delete=models.CASCADE, related_name="progress",
                                verbose_name=_("项目"))
    month = models.DateField(_("月份"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    text = models.TextField(_("进展情况"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("报送人"))
    reported_at = models.DateTimeField(_("报送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("月度进展")
        verbose_name_plural = _("月度进展")
        ordering = ["project", "month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="one_report_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.percent}%"


def _photo_path(instance: ProgressPhoto, filename: str) -> str:
    ext = ".png" if instance.content_type == "image/png" else ".jpg"
    return f"livelihood/photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class ProgressPhoto(models.Model):
    """A photo on a progress report: JPEG or PNG, metadata removed (:mod:`lvzhi.livelihood.photos`), stored
    under a random name; shown only to those who may see the project."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos",
                               verbose_name=_("进展报告"))
    file = models.FileField(_("照片"), upload_to=_photo_path)
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(max_length=20)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("进展照片")
        verbose_name_plural = _("进展照片")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


class MicroBatch(models.Model):
    """A batch (批次) of micro livelihood projects (民生微实事) of a council and year."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("批次"))
    title = models.CharField(_("批次名称"), max_length=200)

    class Meta:
        verbose_name = _("民生微实事批次")
        verbose_name_plural = _("民生微实事批次")
        ordering = ["council", "-year", "number"]
        constraints = [models.UniqueConstraint(fields=["council", "year", "number"], name="one_batch_number")]

    def __str__(self) -> str:
        return self.title


class MicroProject(Case):
    """A micro livelihood project (民生微实事): "deputies propose, government delivers, congress supervises".
    A case on the handling core (case type ``micro_project``) on a lighter workflow than the voted projects
    — no collection, screening or vote: a deputy (or staff for a station or town) proposes it in a batch,
    staff approve it (numbered), assign it to a unit, the unit reports progress and completion (the core's
    reply), and the proposing deputy rates it (the core's opinion form: 满意/基本满意/不满意)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    batch = models.ForeignKey(MicroBatch, on_delete=models.PROTECT, related_name="projects", verbose_name=_("批次"))
    number = models.CharField(_("项目编号"), max_length=40, blank=True, db_index=True)
    title = models.CharField(_("项目名称"), max_length=200)
    content = models.TextField(_("项目内容"), blank=True)
    place = models.CharField(_("联络站或镇（街）"), max_length=200, blank=True)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("提出代表"))
    investment = models.DecimalField(_("投资（万元）"), max_digits=12, decimal_places=2, default=Decimal(0))
    people_served = models.PositiveIntegerField(_("服务人数"), default=0)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    is_key = models.BooleanField(_("重点督办"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    assignments = GenericRelation("cases.Assignment", related_query_name="micro_project")
    follow_ups = GenericRelation("cases.FollowUp", related_query_name="micro_project")
    instructions = GenericRelation("cases.Instruction", related_query_name="micro_project")

    class Meta:
        verbose_name = _("民生微实事")
        verbose_name_plural = _("民生微实事")
        ordering = ["batch", "number", "id"]

    def __str__(self) -> str:
        return self.title

    def _proposer_user_id(self) -> int | None:
        profile = getattr(self.member, "profile", None) if self.member_id else None
        return profile.user_id if profile is not None else self.created_by_id

    def roles_of(self, user: Any) -> set[str]:
        """``deputy`` (the proposing deputy, or the account that entered it), ``staff``/``admin``,
        ``leader``, and ``unit_clerk``/``unit_leader`` of a unit it is assigned to."""
        from lvzhi.cases.people import council_and_unit_roles

        roles = council_and_unit_roles(self, user)
        if getattr(user, "is_authenticated", False) and user.pk == self._proposer_user_id():
            roles.add("deputy")
        return roles

    def party_user_ids(self) -> set[int]:
        proposer = self._proposer_user_id()
        return {proposer} if proposer else set()

    def evaluator_ids(self, joint_reply_mode: str) -> list[int]:
        """The proposing deputy rates the delivered project."""
        return sorted(self.party_user_ids())

    def number_context(self) -> dict[str, Any]:
        return {"year": self.batch.year, "term": "", "session": "", "term_id": None, "session_id": None}


class SupervisionKind(models.TextChoices):
    INSPECTION = "inspection", _("视察")
    WEEK = "week", _("监督周")
    INQUIRY = "inquiry", _("专题询问")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    REPORTED = "reported", _("已报整改情况")
    CORRECTED = "corrected", _("整改完成")


class SupervisionActivity(models.Model):
    """A supervision activity of the standing committee on livelihood projects: an inspection (视察), the
    supervision week (监督周) or a special inquiry (专题询问), with the projects it covered and its record."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    kind = models.CharField(_("形式"), max_length=12, choices=SupervisionKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    projects = models.ManyToManyField(DeliveryProject, related_name="supervisions", verbose_name=_("项目"))
    record = models.TextField(_("情况记录"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))

    class Meta:
        verbose_name = _("监督活动")
        verbose_name_plural = _("监督活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """A problem found in a supervision activity, assigned to a unit to correct by ``due``: open → the unit
    reports its correction → staff confirm it corrected (or send it back open)."""

    activity = models.ForeignKey(SupervisionActivity, on_delete=models.CASCADE, related_name="findings",
                                 verbose_name=_("监督活动"))
    project = models.ForeignKey(DeliveryProject, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="findings", verbose_name=_("项目"))
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("整改单位"))
    text = models.TextField(_("问题"))
    due = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    correction = models.TextField(_("整改情况"), blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监督发现的问题")
        verbose_name_plural = _("监督发现的问题")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.text[:40]
