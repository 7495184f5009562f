"""Applications (申报书): the claim, its sections, implementing enterprises, indicators and attachments.

`status` is written only by `projects.workflow`; nothing else assigns it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.choices import Province, display_of
from portal.models import Organisation
from portal.validators import validate_credit_code
from projects.models.calls import Call
from standards.models import GroupStandard


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    RECOMMENDED = "recommended", _("Recommended")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    UNDER_REVIEW = "under_review", _("Under expert review")
    INELIGIBLE = "ineligible", _("Ineligible")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    NOT_SELECTED = "not_selected", _("Not selected")
    IN_PUBLICITY = "in_publicity", _("In public notice")
    ANNOUNCED = "announced", _("Announced")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class IndustryField(models.TextChoices):
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    EQUIPMENT = "equipment", _("Equipment manufacturing")
    CONSUMER_GOODS = "consumer_goods", _("Consumer goods")
    ELECTRONICS = "electronics", _("Electronic information")
    COMMUNICATIONS = "communications", _("Communications")
    ENERGY_ENVIRONMENT = "energy_environment", _("Energy saving and environmental protection")
    SAFETY = "safety", _("Work safety")
    OTHER = "other", _("Other")


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    group = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("social group")
    )
    standard = models.ForeignKey(
        GroupStandard, on_delete=models.PROTECT, related_name="applications", verbose_name=_("group standard")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, editable=False
    )
    claims_innovative = models.BooleanField(_("innovative (创新性)"), default=False)
    claims_advanced = models.BooleanField(_("advanced (先进性)"), default=False)
    claims_international = models.BooleanField(_("international (国际性)"), default=False)
    industry_field = models.CharField(_("industry field"), max_length=30, choices=IndustryField.choices, blank=True)
    recommender = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommended_applications",
        verbose_name=_("recommender"),
    )
    group_rank = models.PositiveSmallIntegerField(_("rank in the group's summary table"), null=True, blank=True)

    # Sections of the 申报书
    advancement = models.TextField(_("the standard and its advancement"), blank=True)
    implementation = models.TextField(_("how the standard was implemented"), blank=True)
    effect = models.TextField(_("effect of the implementation"), blank=True)
    enterprises_count = models.PositiveIntegerField(_("number of implementing enterprises"), null=True, blank=True)
    output_value = models.DecimalField(
        _("output value (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    savings = models.DecimalField(_("savings (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    market_competitiveness = models.TextField(_("market competitiveness"), blank=True)
    social_influence = models.TextField(_("social influence"), blank=True)
    patent_handling = models.TextField(_("patent handling"), blank=True)
    promotion_plan = models.TextField(_("promotion plan"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    pledge_accepted = models.BooleanField(_("integrity pledge accepted"), default=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submission_count = models.PositiveSmallIntegerField(_("times submitted"), default=0, editable=False)

    # The recommender's decision (written only by `projects.workflow.recommend`)
    recommendation_opinion = models.TextField(_("recommendation opinion"), blank=True, editable=False)
    recommendation_rank = models.PositiveSmallIntegerField(
        _("rank among the recommender's recommendations"), null=True, blank=True, editable=False
    )
    recommended_at = models.DateTimeField(_("recommended"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "group", "group_rank", "id"]
        permissions = [
            ("recommend_application", _("Can recommend, return or decline the application")),
            # Granted to an expert's user with `view_application` when assigned (reviews.services), revoked
            # when the assignment ends.
            ("review_application", _("Can review the application as an assigned expert")),
        ]
        constraints = [
            # One application per standard per call; a withdrawn one does not block a new attempt.
            models.UniqueConstraint(
                fields=["call", "standard"],
                condition=~Q(status=ApplicationStatus.WITHDRAWN),
                name="application_one_per_standard_and_call",
            ),
            models.UniqueConstraint(
                fields=["call", "group", "group_rank"], name="application_group_rank_unique_in_call"
            ),
            # Ranks are unique among one recommender's recommendations that count in a call (rules.
            # COUNTS_AS_RECOMMENDED): those admitted or found ineligible since keep theirs.
            models.UniqueConstraint(
                fields=["call", "recommender", "recommendation_rank"],
                condition=Q(recommended_at__isnull=False) & ~Q(status=ApplicationStatus.WITHDRAWN),
                name="application_recommendation_rank_unique_among_counted",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"], name="application_call_status_idx")]

    def __str__(self) -> str:
        return f"{self.standard.display_number} {self.standard.title_zh}"

    def get_absolute_url(self) -> str:
        return reverse("projects:application_detail", kwargs={"pk": self.pk})

    get_status_display = display_of("status", ApplicationStatus)
    get_industry_field_display = display_of("industry_field", IndustryField)

    @property
    def claimed_types(self) -> list[str]:
        from standards.models import ApplicationType

        flags = [
            (self.claims_innovative, ApplicationType.INNOVATIVE),
            (self.claims_advanced, ApplicationType.ADVANCED),
            (self.claims_international, ApplicationType.INTERNATIONAL),
        ]
        return [kind for claimed, kind in flags if claimed]


class ImplementingEnterprise(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="enterprises")
    name = models.CharField(_("enterprise"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, validators=[validate_credit_code])
    province = models.CharField(_("province"), max_length=6, choices=Province.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("implementing enterprise")
        verbose_name_plural = _("implementing enterprises")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class IndicatorComparison(models.Model):
    """One row of the advancement table: the standard's indicator against national, industry and international."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.CharField(_("indicator"), max_length=200)
    this_standard = models.CharField(_("this group standard"), max_length=200)
    national_or_industry = models.CharField(_("national or industry standard"), max_length=200, blank=True)
    international = models.CharField(_("international standard"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator comparison")
        verbose_name_plural = _("indicator comparisons")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.indicator


class AttachmentSlot(models.TextChoices):
    REGISTRATION_CERTIFICATE = "registration_certificate", _("Legal-person registration certificate")
    ISSUING_DOCUMENT = "issuing_document", _("Document that issued the standard")
    STANDARD_TEXT = "standard_text", _("Text of the standard")
    IMPLEMENTATION_PROOF = "implementation_proof", _("Proof of implementation")
    CONVERSION_PROOF = "conversion_proof", _("Proof of conversion to an international, national or industry standard")
    OTHER = "other", _("Other")


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is not the user's: the original is kept in `original_name`, sanitised.
    return f"applications/{instance.application_id}/{instance.slot}/{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    slot = models.CharField(_("kind"), max_length=30, choices=AttachmentSlot.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["slot", "id"]

    def __str__(self) -> str:
        return self.original_name


class SubmissionSnapshot(models.Model):
    """What the application said when it was submitted, kept so a recommender sees what a revision changed.

    `data` is `projects.snapshots.capture(application)`: section fields, enterprises, indicators and attachments.
    Written by `projects.workflow.submit` only; never changed afterwards.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveSmallIntegerField(_("submission"))
    taken_at = models.DateTimeField(_("submitted"))
    data = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("submission snapshot")
        verbose_name_plural = _("submission snapshots")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="snapshot_one_per_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.number}"
