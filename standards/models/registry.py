"""Group standards (团体标准) as the national group-standard platform publishes them."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from standards.files import full_text_path
from standards.models.groups import SocialGroup
from standards.numbers import validate_number


class StandardStatus(models.TextChoices):
    CURRENT = "current", _("Current (现行)")
    ABOLISHED = "abolished", _("Abolished (废止)")
    REPLACED = "replaced", _("Replaced (被代替)")


class ApplicationType(models.TextChoices):
    """The three types a demonstration-project application may claim (notice 324)."""

    INNOVATIVE = "innovative", _("Innovative (创新性)")
    ADVANCED = "advanced", _("Advanced (先进性)")
    INTERNATIONAL = "international", _("International (国际性)")


validate_ics = RegexValidator(r"^\d{2}(\.\d{3}(\.\d{2})?)?$", _("An ICS code looks like 59.080.01."))
validate_ccs = RegexValidator(r"^[A-Z]\d{2}$", _("A CCS code is a capital letter and two digits, e.g. W04."))
validate_industry_class = RegexValidator(
    r"^[A-T](\d{2}(\d{1,2})?)?$", _("A GB/T 4754 class is a section letter and up to four digits, e.g. C1711.")
)


class GroupStandard(models.Model):
    # The normal form (standards.numbers) is unique and is what every look-up compares.
    number = models.CharField(_("number"), max_length=60, unique=True, editable=False)
    number_as_typed = models.CharField(
        _("number"),
        max_length=60,
        validators=[validate_number],
        help_text=_("As printed on the standard, e.g. T/CNTAC 8—2018; hyphens and zero-padding are accepted."),
    )
    title_zh = models.CharField(_("Chinese title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    issuer = models.ForeignKey(
        SocialGroup, on_delete=models.PROTECT, related_name="standards", verbose_name=_("issuing group")
    )
    co_issuers = models.ManyToManyField(
        SocialGroup, blank=True, related_name="co_issued_standards", verbose_name=_("co-issuing groups")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StandardStatus.choices, default=StandardStatus.CURRENT
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    ics = models.CharField(_("ICS classification"), max_length=12, blank=True, validators=[validate_ics])
    ccs = models.CharField(_("CCS classification"), max_length=3, blank=True, validators=[validate_ccs])
    industry_class = models.CharField(
        _("national-economy industry class"), max_length=5, blank=True, validators=[validate_industry_class]
    )
    publication_date = models.DateField(_("publication date"))
    implementation_date = models.DateField(_("implementation date"))
    repeal_date = models.DateField(_("repeal date"), null=True, blank=True)
    drafters = models.TextField(_("drafters"), blank=True)
    drafting_units = models.TextField(_("drafting units"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    technical_content = models.TextField(_("main technical content"), blank=True)
    has_patents = models.BooleanField(_("involves patents"), default=False)
    patent_declaration = models.TextField(_("patent declaration"), blank=True)
    full_text = models.FileField(_("full text (PDF)"), upload_to=full_text_path, max_length=255, blank=True)
    full_text_public = models.BooleanField(_("full text is public"), default=False)
    # Relation to national and industry standards: where the three application types come from.
    fills_gap = models.BooleanField(
        _("fills a gap"), default=False, help_text=_("No national or industry standard covers this subject.")
    )
    stricter_than = models.CharField(
        _("stricter than"),
        max_length=300,
        blank=True,
        help_text=_("National or industry standards whose indicators this one exceeds, e.g. GB 18401—2010."),
    )
    international_standard = models.CharField(
        _("parallel international standard"),
        max_length=200,
        blank=True,
        help_text=_("An international standard developed in parallel or benchmarked, e.g. ISO 14184-1:2011."),
    )
    internationally_leading = models.BooleanField(_("internationally leading"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("group standard")
        verbose_name_plural = _("group standards")
        ordering = ["-publication_date", "number"]
        indexes = [models.Index(fields=["-publication_date", "number"], name="groupstandard_list_idx")]
        constraints = [
            models.CheckConstraint(
                name="groupstandard_implementation_not_before_publication",
                condition=Q(implementation_date__gte=F("publication_date")),
                violation_error_message=_("The implementation date is before the publication date."),
            ),
            models.CheckConstraint(
                name="groupstandard_repeal_not_before_publication",
                condition=Q(repeal_date__isnull=True) | Q(repeal_date__gte=F("publication_date")),
                violation_error_message=_("The repeal date is before the publication date."),
            ),
            models.CheckConstraint(
                name="groupstandard_current_not_repealed",
                condition=~Q(status=StandardStatus.CURRENT) | Q(repeal_date__isnull=True),
                violation_error_message=_("A current standard has no repeal date."),
            ),
            models.CheckConstraint(
                name="groupstandard_replaced_by_only_when_replaced",
                condition=Q(replaced_by__isnull=True) | Q(status=StandardStatus.REPLACED),
                violation_error_message=_("Only a replaced standard names the standard that replaces it."),
            ),
            models.CheckConstraint(
                name="groupstandard_not_replaced_by_itself",
                condition=Q(replaced_by__isnull=True) | ~Q(replaced_by=F("pk")),
                violation_error_message=_("A standard cannot replace itself."),
            ),
            models.CheckConstraint(
                name="groupstandard_patents_declared",
                condition=Q(has_patents=False) | ~Q(patent_declaration=""),
                violation_error_message=_("A standard that involves patents needs the patent declaration."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.title_zh}"

    def get_absolute_url(self) -> str:
        return reverse("standards:standard_detail", args=[self.pk])

    @property
    def display_number(self) -> str:
        """The number as the group published it, for every page and message a person reads; `number`, its
        normal form, is for look-up and uniqueness only."""
        return self.number_as_typed or self.number

    @property
    def eligible_types(self) -> list[ApplicationType]:
        """The application types its relation to national, industry and international standards supports."""
        types = []
        if self.fills_gap:
            types.append(ApplicationType.INNOVATIVE)
        if self.stricter_than:
            types.append(ApplicationType.ADVANCED)
        if self.international_standard or self.internationally_leading:
            types.append(ApplicationType.INTERNATIONAL)
        return types
