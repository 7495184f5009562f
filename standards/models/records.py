"""What happened to a group standard after publication: adoption (采信) and third-party evaluation (评价)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standards.files import evaluation_report_path
from standards.models.registry import GroupStandard


class Adoption(models.Model):
    """A place where the standard was adopted, and any conversion it is on its way to."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("Industrial policy or plan (产业政策、规划)")
        NATIONAL_STANDARD = "national_standard", _("National standard citing or converting it")
        INDUSTRY_STANDARD = "industry_standard", _("Industry standard citing or converting it")
        PROCUREMENT = "procurement", _("Procurement (采购)")
        CERTIFICATION = "certification", _("Certification (认证)")
        OTHER = "other", _("Other")

    class ConversionTarget(models.TextChoices):
        INDUSTRY = "industry", _("Industry standard (行业标准)")
        NATIONAL = "national", _("National standard (国家标准)")
        INTERNATIONAL = "international", _("International standard (国际标准)")

    class ConversionStatus(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Project approved (立项)")
        PUBLISHED = "published", _("Published (发布)")

    standard = models.ForeignKey(
        GroupStandard, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("group standard")
    )
    kind = models.CharField(_("adopted in"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("document or standard title"), max_length=300)
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("e.g. 工信部科〔2017〕324号 or GB/T 41000—2021")
    )
    date = models.DateField(_("date"))
    url = models.URLField(_("link"), blank=True)
    conversion_target = models.CharField(
        _("converting to"), max_length=15, choices=ConversionTarget.choices, blank=True
    )
    conversion_status = models.CharField(
        _("conversion status"), max_length=10, choices=ConversionStatus.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="adoption_conversion_target_and_status_together",
                condition=Q(conversion_target="", conversion_status="")
                | (~Q(conversion_target="") & ~Q(conversion_status="")),
                violation_error_message=_("A conversion names both the target and its status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优)")
    GOOD = "good", _("Good (良)")
    FAIR = "fair", _("Fair (中)")
    POOR = "poor", _("Poor (差)")


class Evaluation(models.Model):
    """A third-party evaluation along the notice's five criteria, each rated with a comment."""

    CRITERIA = (
        ("legality", _("Legality (合法性)")),
        ("compliance", _("Compliance (合规性)")),
        ("advancement", _("Advancement (先进性)")),
        ("internationality", _("Internationality (国际性)")),
        ("influence", _("Influence (影响力)")),
    )

    standard = models.ForeignKey(
        GroupStandard, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("group standard")
    )
    evaluator = models.CharField(_("evaluator"), max_length=200)
    date = models.DateField(_("date"))
    legality = models.CharField(_("legality (合法性)"), max_length=10, choices=Rating.choices)
    legality_comment = models.TextField(_("comment on legality"), blank=True)
    compliance = models.CharField(_("compliance (合规性)"), max_length=10, choices=Rating.choices)
    compliance_comment = models.TextField(_("comment on compliance"), blank=True)
    advancement = models.CharField(_("advancement (先进性)"), max_length=10, choices=Rating.choices)
    advancement_comment = models.TextField(_("comment on advancement"), blank=True)
    internationality = models.CharField(_("internationality (国际性)"), max_length=10, choices=Rating.choices)
    internationality_comment = models.TextField(_("comment on internationality"), blank=True)
    influence = models.CharField(_("influence (影响力)"), max_length=10, choices=Rating.choices)
    influence_comment = models.TextField(_("comment on influence"), blank=True)
    report = models.FileField(_("report (PDF)"), upload_to=evaluation_report_path, max_length=255, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.evaluator} {self.date:%Y-%m-%d}"

    @property
    def ratings(self) -> list[tuple[str, str, str]]:
        """(criterion, rating, comment) for each of the five criteria, in the notice's order."""
        return [
            (label, Rating(getattr(self, field)).label, getattr(self, f"{field}_comment"))
            for field, label in self.CRITERIA
        ]
