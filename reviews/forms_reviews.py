"""Forms of the review queue: an expert's scoring form, the rubric and settings page, reopening, the panel's
opinion. They shape what was typed; the services (`reviews.services.reviews`, `.rubric`) decide the rest."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.calls import BeijingDateTimeField
from reviews import rubric
from reviews.models import Criterion, Recommendation, ReviewSettings, Score
from reviews.services.reviews import Draft, ScoreInput, range_message, score_field
from reviews.services.rubric import SETTINGS_FIELDS, CriterionRow


@dataclass(frozen=True)
class CriterionFields:
    criterion: Criterion
    score: forms.BoundField
    comment: forms.BoundField


class ReviewForm(forms.Form):
    """A score (0..max, steps of 0.5) and an optional comment per criterion, the opinion, the recommendation.

    Everything may be left empty here (a draft); the submit service asks for what submitting needs.
    """

    opinion = forms.CharField(
        label=_("Overall opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required to submit."),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        help_text=_("Required to submit."),
    )

    def __init__(self, *args, criteria: list[Criterion], review=None, scores: dict[int, Score] | None = None, **kwargs):
        scores = scores or {}
        initial = {"opinion": review.opinion, "recommendation": review.recommendation} if review is not None else {}
        for criterion_pk, row in scores.items():
            initial[score_field(criterion_pk)] = row.score
            initial[f"comment_{criterion_pk}"] = row.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[score_field(criterion.pk)] = forms.DecimalField(
                label=_("Score (0 to %(max)s)") % {"max": criterion.max_score},
                required=False,
                min_value=0,
                max_value=criterion.max_score,
                error_messages={
                    "invalid": range_message(criterion.max_score),
                    "min_value": range_message(criterion.max_score),
                    "max_value": range_message(criterion.max_score),
                    "max_digits": range_message(criterion.max_score),
                },
                widget=forms.NumberInput(attrs={"min": 0, "max": criterion.max_score, "step": rubric.SCORE_STEP}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            name = score_field(criterion.pk)
            value = cleaned.get(name)
            if value is not None and not rubric.on_step(value):
                self.add_error(name, range_message(criterion.max_score))
        return cleaned

    def rows(self) -> list[CriterionFields]:
        return [CriterionFields(c, self[score_field(c.pk)], self[f"comment_{c.pk}"]) for c in self.criteria]

    def draft(self) -> Draft:
        data = self.cleaned_data
        scores = [ScoreInput(c.pk, data.get(score_field(c.pk)), data.get(f"comment_{c.pk}", "")) for c in self.criteria]
        return Draft(scores=scores, opinion=data.get("opinion", ""), recommendation=data.get("recommendation", ""))

    def disable(self) -> None:
        for field in self.fields.values():
            field.disabled = True


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReviewSettings
        fields = list(SETTINGS_FIELDS)
        field_classes = {"due_at": BeijingDateTimeField}


class CriterionForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Criterion"), max_length=100)
    description = forms.CharField(
        label=_("What the expert judges"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_digits=5,
        decimal_places=2,
        error_messages={"min_value": _("A weight is more than 0.")},
    )
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=rubric.MAX_SCORE_LIMIT)


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        names = [form.cleaned_data["name"].strip() for form in self._kept()]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Each criterion needs its own name."))
        if not names:
            raise forms.ValidationError(_("A rubric needs at least one criterion."))

    def _kept(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if form.has_changed() or form.initial
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def rows(self) -> list[CriterionRow]:
        return [
            CriterionRow(
                pk=form.cleaned_data.get("pk"),
                name=form.cleaned_data["name"],
                description=form.cleaned_data.get("description", ""),
                weight=form.cleaned_data["weight"],
                max_score=form.cleaned_data["max_score"],
            )
            for form in self._kept()
        ]


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True, max_num=20, validate_max=True
)


def criterion_initial(criteria: list[Criterion]) -> list[dict]:
    return [
        {"pk": c.pk, "name": c.name, "description": c.description, "weight": c.weight, "max_score": c.max_score}
        for c in criteria
    ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The expert is notified with it, and it is kept in the audit log."),
    )


class PanelOpinionForm(forms.Form):
    opinion = forms.CharField(label=_("Panel opinion"), widget=forms.Textarea(attrs={"rows": 6}))
