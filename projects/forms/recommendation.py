"""The recommender's decision on a submitted application, and the order of its recommendations in a call.

The forms shape what was typed; the workflow and the services decide.
"""

from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

RETURN, RECOMMEND, DECLINE = "return", "recommend", "decline"
# The negative decisions: a confirmation step repeats the reasons and asks before either is made (issue 10).
CONFIRMED = frozenset({RETURN, DECLINE})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (RECOMMEND, _("Recommend")),
            (RETURN, _("Return for revision")),
            (DECLINE, _("Decline to recommend")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reasons (for a return or a decline)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant sees these reasons."),
    )
    opinion = forms.CharField(
        label=_("Recommendation opinion (推荐意见)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rank = forms.IntegerField(label=_("Rank"), required=False, min_value=1)

    def __init__(self, *args, quota: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.quota = quota
        self.fields["rank"].max_value = quota
        self.fields["rank"].widget.attrs["max"] = quota
        self.fields["rank"].validators.append(MaxValueValidator(quota) if quota else _no_quota)
        self.fields["rank"].help_text = _(
            "From 1 to %(quota)d: the place of this application among your recommendations in this call."
        ) % {"quota": quota}

    def clean(self) -> dict:
        data = super().clean()
        decision = data.get("decision")
        if decision in (RETURN, DECLINE) and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reasons for this decision."))
        if decision == RECOMMEND:
            if not data.get("opinion", "").strip():
                self.add_error("opinion", _("Give the recommendation opinion."))
            if data.get("rank") is None and "rank" not in self.errors:
                self.add_error("rank", _("Give the rank of this application among your recommendations."))
        return data


def _no_quota(value: int) -> None:
    raise ValidationError(_("There is no quota for recommendations in this call."))


class RanksForm(forms.Form):
    """The ranks of a recommender's recommended applications in a call: one each, 1..quota, each used once and
    none held by a recommendation whose rank is fixed (`fixed`: rank → the message to show when it is typed)."""

    def __init__(self, *args, applications: list, quota: int, fixed: dict[int, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.applications = applications
        self.fixed = fixed or {}
        out_of_range = _("Give a whole number from 1 to %(quota)d.") % {"quota": quota}
        for application in applications:
            self.fields[self.field_name(application)] = forms.IntegerField(
                label=_("Rank of %(standard)s") % {"standard": application.standard.display_number},
                min_value=1,
                max_value=quota,
                initial=application.recommendation_rank,
                error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), out_of_range),
                widget=forms.NumberInput(attrs={"class": "rank-input"}),
            )

    @staticmethod
    def field_name(application) -> str:
        return f"rank_{application.pk}"

    def clean(self) -> dict:
        cleaned = super().clean()
        used = Counter(value for value in cleaned.values() if value is not None)
        for name, value in list(cleaned.items()):
            if value in self.fixed:
                self.add_error(name, self.fixed[value])
            elif value is not None and used[value] > 1:
                self.add_error(name, _("Rank %(rank)d is given to more than one application.") % {"rank": value})
        return cleaned

    def ranks(self) -> dict[int, int]:
        """Application id → rank, from a valid form."""
        return {application.pk: self.cleaned_data[self.field_name(application)] for application in self.applications}

    def field_of(self, application) -> forms.BoundField | None:
        """The rank field of one of the applications, None for any other (one whose rank is fixed)."""
        name = self.field_name(application)
        return self[name] if name in self.fields else None
