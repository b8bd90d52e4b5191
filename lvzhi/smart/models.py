"""Tables of the smart features.

- :class:`SuggestionRecord`: what the recommender showed for one case (top-3 labels with confidences and the
  model version). The clerk's final choice is *not* copied here: it is read from the audit log (the
  ``routed`` entry of a message, the ``filed`` transition of a proposal), the one source of truth for what
  people did; :func:`lvzhi.smart.service.accuracy_in_use` joins the two.
- :class:`CaseLink`: a link staff made between two related cases (关联案件) of any channel, written only by
  :func:`lvzhi.smart.actions.link_cases` with an audit entry.
- :class:`StoredModel` and :class:`StoredIndex`: trained models and similar-case indexes as bytes in the
  database, so every web and worker process, on any machine, uses the same ones (local files are only a
  per-process cache).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    """The case kinds the smart features know (one code per model)."""

    MESSAGE = "message", _("群众意见")
    REPORT = "report", _("社情民意信息")
    PROPOSAL = "proposal", _("提案")


class SuggestionKind(models.TextChoices):
    CATEGORY = "category", _("分类")
    UNIT = "unit", _("承办单位")


class SuggestionRecord(models.Model):
    """The suggestions shown for one case by one model version (recorded the first time they are shown).

    ``suggestions`` is ``[[label, confidence], ...]``, best first, confidences ratios in 0..1.
    """

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("机构"))
    case_type = models.CharField(_("案件类型"), max_length=10, choices=CaseType.choices)
    case_id = models.PositiveBigIntegerField(_("案件编号"))
    kind = models.CharField(_("推荐类型"), max_length=10, choices=SuggestionKind.choices)
    suggestions = models.JSONField(_("推荐"), default=list)
    model_version = models.CharField(_("模型版本"), max_length=60)
    created_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("智能推荐记录")
        verbose_name_plural = _("智能推荐记录")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case_type", "case_id", "kind", "model_version"],
                                               name="unique_suggestion_per_model")]
        indexes = [models.Index(fields=["council", "case_type", "kind"])]

    def __str__(self) -> str:
        return f"{self.case_type}:{self.case_id} {self.kind}"

    @property
    def labels(self) -> list[str]:
        """The suggested labels, best first."""
        return [str(item[0]) for item in self.suggestions]


class CaseLink(models.Model):
    """Two related cases linked by staff (关联), e.g. a message and a proposal on the same matter."""

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("机构"))
    from_type = models.CharField(_("案件类型"), max_length=10, choices=CaseType.choices)
    from_id = models.PositiveBigIntegerField(_("案件编号"))
    to_type = models.CharField(_("关联案件类型"), max_length=10, choices=CaseType.choices)
    to_id = models.PositiveBigIntegerField(_("关联案件编号"))
    score = models.FloatField(_("相似度"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关联案件")
        verbose_name_plural = _("关联案件")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["from_type", "from_id", "to_type", "to_id"],
                                               name="unique_case_link")]
        indexes = [models.Index(fields=["to_type", "to_id"])]

    def __str__(self) -> str:
        return f"{self.from_type}:{self.from_id} ↔ {self.to_type}:{self.to_id}"


class StoredModel(models.Model):
    """One version of a trained model (:mod:`lvzhi.smart.store`): the joblib bytes and the metadata training
    wrote. ``scope`` is ``shared`` or ``council-<id>``; exactly one version per scope and kind is ``current``."""

    scope = models.CharField(_("范围"), max_length=40)
    kind = models.CharField(_("模型类型"), max_length=40)
    version = models.PositiveIntegerField(_("版本"))
    current = models.BooleanField(_("在用"), default=False)
    meta = models.JSONField(_("说明"), default=dict)
    data = models.BinaryField(_("模型数据"))
    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐模型")
        verbose_name_plural = _("推荐模型")
        ordering = ["scope", "kind", "version"]
        constraints = [models.UniqueConstraint(fields=["scope", "kind", "version"], name="unique_model_version")]
        indexes = [models.Index(fields=["scope", "kind", "current"])]

    def __str__(self) -> str:
        return f"{self.scope}/{self.kind}/v{self.version}"


class StoredIndex(models.Model):
    """The serialised similar-case index of one council (:func:`lvzhi.smart.service.similarity_index`), built
    by the worker (or the first process that needs it) and loaded by every other process instead of rebuilt.
    ``size`` is the number of cases in it; ``built_at`` says when it was built."""

    council = models.OneToOneField("members.Council", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("机构"))
    size = models.PositiveIntegerField(_("案件数"), default=0)
    data = models.BinaryField(_("索引数据"))
    built_at = models.DateTimeField(_("建立时间"))

    class Meta:
        verbose_name = _("相似案件索引")
        verbose_name_plural = _("相似案件索引")

    def __str__(self) -> str:
        return f"{self.council_id}: {self.size}"
