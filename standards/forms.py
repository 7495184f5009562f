"""Forms of the registry's pages. They read and shape what was typed; the services decide what is valid."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.choices import OrganisationKind
from portal.fields import ModelChoiceField, ModelMultipleChoiceField
from portal.models import Organisation
from standards.files import max_upload_bytes, validate_pdf
from standards.models import Adoption, Evaluation, GroupDocument, GroupStandard, SocialGroup
from standards.selectors import groups_with_profile, standard_by_number


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PdfInput(forms.ClearableFileInput):
    # Without a link to the stored file: files are private and served only through views that check rights.
    template_name = "standards/widgets/pdf_input.html"

    def __init__(self, attrs=None):
        super().__init__({"accept": "application/pdf,.pdf", **(attrs or {})})


class PdfField(forms.FileField):
    default_validators = [validate_pdf]
    widget = PdfInput


class OrganisationForm(forms.ModelForm):
    """The portal identity of a new social group: name, code used in numbers, type, credit code."""

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "code", "social_group_type", "province", "credit_code", "ministry_managed"]
        labels = {"code": _("Group code (used in standard numbers)")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("instance", Organisation(kind=OrganisationKind.SOCIAL_GROUP))
        super().__init__(*args, **kwargs)
        self.fields["social_group_type"].required = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not code.isascii() or not code.isalnum():
            raise ValidationError(_("Use upper-case letters and digits only, e.g. CNTAC."))
        return code

    def clean_credit_code(self) -> str:
        return self.cleaned_data["credit_code"].strip().upper()

    def service_fields(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GroupProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = SocialGroup
        fields = [
            "registration_number",
            "registration_authority",
            "legal_representative",
            "supporting_unit",
            "business_scope",
            "address",
            "postcode",
            "website",
        ]
        widgets = {"business_scope": forms.Textarea(attrs={"rows": 3})}

    def service_fields(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GroupDocumentForm(forms.ModelForm):
    file = PdfField(label=_("File (PDF)"))

    class Meta:
        model = GroupDocument
        fields = ["kind", "version_date", "title", "file"]
        widgets = {"version_date": DateInput()}


class GroupStandardForm(forms.ModelForm):
    replaced_by_number = forms.CharField(
        label=_("Replaced by"),
        required=False,
        help_text=_("For a replaced standard: the number of the standard that replaces it."),
    )
    full_text = PdfField(label=_("Full text (PDF)"), required=False)

    class Meta:
        model = GroupStandard
        fields = [
            "number_as_typed",
            "issuer",
            "co_issuers",
            "title_zh",
            "title_en",
            "status",
            "replaced_by_number",
            "publication_date",
            "implementation_date",
            "repeal_date",
            "ics",
            "ccs",
            "industry_class",
            "drafters",
            "drafting_units",
            "scope",
            "technical_content",
            "has_patents",
            "patent_declaration",
            "fills_gap",
            "stricter_than",
            "international_standard",
            "internationally_leading",
            "full_text",
            "full_text_public",
        ]
        field_classes = {"issuer": ModelChoiceField, "co_issuers": ModelMultipleChoiceField}
        widgets = {
            "publication_date": DateInput(),
            "implementation_date": DateInput(),
            "repeal_date": DateInput(),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ("drafters", "drafting_units", "scope")},
            **{name: forms.Textarea(attrs={"rows": 4}) for name in ("technical_content", "patent_declaration")},
        }

    def __init__(self, *args, issuers: QuerySet[SocialGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.fields["issuer"].empty_label = None
        self.fields["co_issuers"].queryset = groups_with_profile().order_by("organisation__name")
        self.fields["co_issuers"].required = False
        if self.instance.replaced_by_id:
            self.initial["replaced_by_number"] = self.instance.replaced_by.display_number

    def clean_replaced_by_number(self) -> GroupStandard | None:
        text = self.cleaned_data["replaced_by_number"].strip()
        if not text:
            return None
        successor = standard_by_number(text)
        if successor is None:
            raise ValidationError(_("No standard with this number is in the registry."))
        return successor

    def service_fields(self) -> dict[str, object]:
        """What create_standard / update_standard take: a new upload replaces the full text, a tick clears it."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name not in {"co_issuers", "full_text"}}
        fields["replaced_by"] = fields.pop("replaced_by_number")
        upload = self.cleaned_data.get("full_text")
        if upload is False or isinstance(upload, UploadedFile):
            fields["full_text"] = upload
        return fields


class AdoptionForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = Adoption
        fields = [
            "kind",
            "title",
            "document_number",
            "date",
            "url",
            "conversion_target",
            "conversion_status",
            "note",
        ]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class EvaluationForm(forms.ModelForm):
    report = PdfField(label=_("Report (PDF)"), required=False)

    class Meta:
        model = Evaluation
        fields = [
            "evaluator",
            "date",
            *(name for criterion, _label in Evaluation.CRITERIA for name in (criterion, f"{criterion}_comment")),
            "report",
        ]
        widgets = {
            "date": DateInput(),
            **{f"{criterion}_comment": forms.Textarea(attrs={"rows": 2}) for criterion, _l in Evaluation.CRITERIA},
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(label=_("Only check the file; import nothing"), required=False)

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise ValidationError(
                _("This file is larger than %(limit)s."), params={"limit": filesizeformat(max_upload_bytes())}
            )
        return upload
