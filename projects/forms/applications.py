"""Forms of the applicant's pages. Nothing here is required: a draft saves incomplete, and completeness is
checked on submission. The forms shape what was typed; the services and the workflow decide."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.fields import ModelChoiceField
from portal.models import Organisation
from projects.models import Application, ImplementingEnterprise, IndicatorComparison, IndustryField
from projects.services.applications import CLAIM_FIELDS, SECTION_FIELDS
from standards.models import ApplicationType, GroupStandard

ROW_EXTRA = 2  # empty rows offered under a table; saving offers two more

# Why a type cannot be claimed: what the standard's record would have to say (see GroupStandard.eligible_types).
UNSUPPORTED_REASON = {
    ApplicationType.INNOVATIVE: _(
        "Not available: the standard's record does not say that it fills a gap in national or industry standards."
    ),
    ApplicationType.ADVANCED: _(
        "Not available: the standard's record names no national or industry standard that it is stricter than."
    ),
    ApplicationType.INTERNATIONAL: _(
        "Not available: the standard's record names no parallel international standard and does not mark it "
        "internationally leading."
    ),
}
SUPPORTED_HELP = {
    ApplicationType.INNOVATIVE: _("Fills a gap in national and industry standards."),
    ApplicationType.ADVANCED: _("Its indicators are all stricter than the national or industry standards."),
    ApplicationType.INTERNATIONAL: _(
        "Internationally leading, or an international standard was developed in parallel."
    ),
}


class StandardChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: GroupStandard) -> str:
        return f"{obj.display_number} {obj.title_zh}"


class StartForm(forms.Form):
    """Choose the standard to apply with. The list offers the eligible standards; one chosen otherwise (a page
    left open while another application was started) is refused with the reasons."""

    standard = StandardChoiceField(label=_("Group standard"), queryset=GroupStandard.objects.none())

    def __init__(self, *args, candidates: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: dict[int, list[str]] = {}
        for candidate in candidates:
            # A standard co-issued by two of the user's groups is eligible when it is for either.
            known = self.problems.get(candidate.standard.pk)
            self.problems[candidate.standard.pk] = candidate.problems if known is None or known else known
        field = self.fields["standard"]
        field.queryset = GroupStandard.objects.filter(pk__in=self.problems)
        offered = {
            c.standard.pk: f"{c.standard.display_number} {c.standard.title_zh}" for c in candidates if not c.problems
        }
        field.choices = [("", "---------"), *offered.items()]

    def clean_standard(self) -> GroupStandard:
        standard = self.cleaned_data["standard"]
        if self.problems[standard.pk]:
            raise ValidationError(self.problems[standard.pk])
        return standard


class ClaimForm(forms.Form):
    """The types claimed, the industry field and the recommender.

    A type the standard's record does not support is shown disabled, with the reason, and saves as not
    claimed. The recommender is absent for a ministry-managed group, which applies directly.
    """

    claims_innovative = forms.BooleanField(label=ApplicationType.INNOVATIVE.label, required=False)
    claims_advanced = forms.BooleanField(label=ApplicationType.ADVANCED.label, required=False)
    claims_international = forms.BooleanField(label=ApplicationType.INTERNATIONAL.label, required=False)
    industry_field = forms.ChoiceField(
        label=_("Industry field"), choices=[("", "---------"), *IndustryField.choices], required=False
    )
    recommender = ModelChoiceField(
        label=_("Recommender"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Your province's industry and IT department, or an industry federation acting as delegate."),
    )

    def __init__(self, *args, application: Application, recommenders: list[Organisation], **kwargs):
        initial = {
            **{field: getattr(application, field) for field in CLAIM_FIELDS.values()},
            "industry_field": application.industry_field,
            "recommender": application.recommender_id,
        }
        super().__init__(*args, initial=initial, **kwargs)
        eligible = application.standard.eligible_types
        for kind, name in CLAIM_FIELDS.items():
            field = self.fields[name]
            if kind in eligible:
                field.help_text = SUPPORTED_HELP[kind]
            else:
                field.disabled = True
                field.help_text = UNSUPPORTED_REASON[kind]
                self.initial[name] = False
        if application.group.ministry_managed:
            del self.fields["recommender"]
        else:
            self.fields["recommender"].queryset = Organisation.objects.filter(
                pk__in=[org.pk for org in recommenders]
            ).order_by("kind", "name")

    @property
    def claim_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CLAIM_FIELDS.values()]

    def claims(self) -> list[str]:
        return [kind for kind, name in CLAIM_FIELDS.items() if self.cleaned_data.get(name)]


_WIDGETS = {
    "advancement": forms.Textarea(attrs={"rows": 10}),
    "implementation": forms.Textarea(attrs={"rows": 8}),
    "effect": forms.Textarea(attrs={"rows": 8}),
    "market_competitiveness": forms.Textarea(attrs={"rows": 10}),
    "social_influence": forms.Textarea(attrs={"rows": 10}),
    "patent_handling": forms.Textarea(attrs={"rows": 8}),
    "promotion_plan": forms.Textarea(attrs={"rows": 10}),
    "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
    "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
}
_LABELS = {
    "pledge_accepted": _("On behalf of the social group, I have read the integrity pledge above and accept it."),
}
_HELP = {
    "enterprises_count": _("All enterprises implementing the standard, not only those listed below."),
    "output_value": _("In 10,000 yuan, from the standard's products in the last full year."),
    "savings": _("In 10,000 yuan: costs, energy or materials saved through the standard."),
    "patent_handling": _("If the standard involves no patent, say so."),
}


# How long each narrative of the 申报书 may be, in characters as the browser counts them (`typed_length`), so
# that the printed form stays a form: an A4 page holds some 1,600 字, so a long narrative is about three pages,
# a summary a page and a bit. Forms only: the columns stay TextFields (no migration), as the rule is the form's.
TEXT_LIMITS = {
    # The standard's content and how it compares, indicator by indicator: the longest part of the form.
    "advancement": 5000,
    # Where, by whom and since when the standard is applied: the other long narrative.
    "implementation": 5000,
    # The effect in words; its figures have fields of their own (enterprises, output value, savings).
    "effect": 3000,
    # Summaries, about a page each.
    "market_competitiveness": 2000,
    "social_influence": 2000,
    "promotion_plan": 2000,
    # A statement of the patents involved and how they are licensed, or that there are none: half a page.
    "patent_handling": 1000,
}


def typed_length(text: str) -> int:
    """The length a browser gives a textarea's value, and checks `maxlength` against: UTF-16 code units (a
    character beyond the BMP, such as 𠀀, is two), a line break one. The form posts line breaks as CR LF, which
    Python's len() would count twice; so the server counts as the page's counter (static/js/counter.js) does."""
    return len(normalize_newlines(text).encode("utf-16-le")) // 2


class TypedLengthValidator:
    """At most `limit` characters, counted by `typed_length`; the message says how many were typed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        count = typed_length(value)
        if count > self.limit:
            raise ValidationError(
                _("At most %(limit)s characters here: you typed %(count)s. Shorten it by %(over)s."),
                code="max_length",
                params={"limit": f"{self.limit:,}", "count": f"{count:,}", "over": f"{count - self.limit:,}"},
            )


def _counter_sentences() -> str:
    """What static/js/counter.js shows beside a field, in the page's language, for each plural category."""

    def left(count: int) -> str:
        return ngettext("%(count)s character left", "%(count)s characters left", count)

    def over(count: int) -> str:
        return ngettext("%(count)s character too many", "%(count)s characters too many", count)

    sentences = {"left": {"one": left(1), "other": left(2)}, "over": {"one": over(1), "other": over(2)}}
    return json.dumps(sentences, ensure_ascii=False)


def limit_text(field: forms.Field, limit: int) -> None:
    """Refuse a longer text on the server; stop the browser at the limit and show a counter beside the field."""
    field.validators.append(TypedLengthValidator(limit))
    field.widget.attrs.update({"maxlength": limit, "data-counter": _counter_sentences()})


class SectionForm(forms.ModelForm):
    """One section's own fields; `section_form` picks them. Every field may be left empty in a draft."""

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            if name in TEXT_LIMITS:
                limit_text(field, TEXT_LIMITS[name])


def section_form(section: str) -> type[SectionForm]:
    names = SECTION_FIELDS[section]
    return forms.modelform_factory(
        Application,
        form=SectionForm,
        fields=names,
        widgets={name: widget for name, widget in _WIDGETS.items() if name in names},
        labels={name: label for name, label in _LABELS.items() if name in names},
        help_texts={name: text for name, text in _HELP.items() if name in names},
    )


class IndicatorRowForm(forms.ModelForm):
    class Meta:
        model = IndicatorComparison
        fields = ["indicator", "this_standard", "national_or_industry", "international"]


# What the credit code's box takes as typed: 18 characters with a space between any two (a code copied from a
# licence comes as "9133 0100 …"), and more. The 18 are counted once the spaces are gone.
CREDIT_CODE_TYPED_LENGTH = 40


class CreditCodeField(forms.CharField):
    """A unified social credit code as people type and paste it: spaces (full-width ones too) and lower case
    are removed before its 18-character limit and check character apply, so its box takes more than 18."""

    def to_python(self, value) -> str:
        return "".join(super().to_python(value).split()).upper()

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "maxlength": str(CREDIT_CODE_TYPED_LENGTH)}


class EnterpriseRowForm(forms.ModelForm):
    class Meta:
        model = ImplementingEnterprise
        fields = ["name", "credit_code", "province"]
        field_classes = {"credit_code": CreditCodeField}
        widgets = {
            "credit_code": forms.TextInput(
                attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
            )
        }


def _row_sentences() -> str:
    """What static/js/rows.js says about the table it grows, in the page's language (plural forms as counter.js)."""

    def pasted(count: int) -> str:
        return ngettext(
            "%(count)s row filled from the pasted lines.", "%(count)s rows filled from the pasted lines.", count
        )

    def cut(count: int) -> str:
        return ngettext(
            "A table holds at most %(max)s rows: %(count)s pasted line was left out.",
            "A table holds at most %(max)s rows: %(count)s pasted lines were left out.",
            count,
        ).replace("%(max)s", str(MAX_ROWS))

    sentences = {
        "pasted": {"one": pasted(1), "other": pasted(2)},
        "cut": {"one": cut(1), "other": cut(2)},
        "full": str(_("A table holds at most %(max)s rows.")).replace("%(max)s", str(MAX_ROWS)),
        "removed": str(_("The row is removed.")),
        "failed": str(_("No row could be added: reload the page and try again. Save first to keep what you typed.")),
    }
    return json.dumps(sentences, ensure_ascii=False)


class RowFormSet(forms.BaseFormSet):
    """A table of rows that the page's script (static/js/rows.js) grows, through the row endpoint, and shrinks."""

    @property
    def sentences(self) -> str:
        return _row_sentences()

    def blank_row(self, index: int) -> forms.Form:
        """An empty row at `index`, named as the formset names it (`prefix-<index>-field`): `empty_form` with a
        real index in place of `__prefix__`."""
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix(index),
            empty_permitted=True,
            use_required_attribute=False,
            **self.get_form_kwargs(None),
            renderer=self.renderer,
        )
        self.add_fields(form, index)
        return form


# A table's rows, at most: more than any 申报书 lists (the enterprises' total has a field of its own). Also
# what a tampered TOTAL_FORMS can make the server build: Django's own bound would be 2,000 forms a request.
MAX_ROWS = 100
IndicatorFormSet = forms.formset_factory(
    IndicatorRowForm,
    formset=RowFormSet,
    extra=ROW_EXTRA,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)
EnterpriseFormSet = forms.formset_factory(
    EnterpriseRowForm,
    formset=RowFormSet,
    extra=ROW_EXTRA,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)

ROW_FORMSETS = {
    "advancement": ("indicators", IndicatorFormSet),
    "implementation": ("enterprises", EnterpriseFormSet),
}


def row_formset(section: str, application: Application, data=None) -> forms.BaseFormSet | None:
    """The table of the section, prefilled with its saved rows; None for a section without one."""
    if section not in ROW_FORMSETS:
        return None
    prefix, formset_class = ROW_FORMSETS[section]
    names = formset_class.form._meta.fields
    initial = [{name: getattr(row, name) for name in names} for row in getattr(application, prefix).all()]
    return formset_class(data, initial=initial, prefix=prefix)


def blank_rows(section: str, *, start: int, count: int) -> list[forms.Form]:
    """Up to `count` empty rows of the section's table from index `start`, never past MAX_ROWS."""
    prefix, formset_class = ROW_FORMSETS[section]
    formset = formset_class(prefix=prefix)
    return [formset.blank_row(index) for index in range(start, min(start + count, MAX_ROWS))]


def formset_rows(formset: forms.BaseFormSet) -> list[dict]:
    """The rows to keep, in order: filled in and not marked for removal."""
    return [
        {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("The reason is recorded in the application's history and shown to the recommender."),
    )
