"""Forms of the secretariat's call pages. They read and shape what was typed; the services decide the rest.

Date-times are typed and shown in Beijing time (`datetime-local` inputs carry no zone), whatever zone the
request runs in.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import ModelChoiceField
from portal.workdays import local_zone
from projects.models import Call, CallAttachment
from projects.selectors.calls import recommenders, social_groups
from projects.services.calls import CALL_FIELDS, MAX_PUBLICITY_WORKING_DAYS

BEIJING_TIME = _("Beijing time (UTC+8).")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class BeijingDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class BeijingDateTimeField(forms.DateTimeField):
    """A moment typed as a Beijing wall-clock time and returned aware; shown back in Beijing time."""

    widget = BeijingDateTimeInput

    def __init__(self, **kwargs):
        # A model form passes the model field's (empty) help text: fill it in rather than only default it.
        kwargs["help_text"] = kwargs.get("help_text") or BEIJING_TIME
        super().__init__(**kwargs)

    def to_python(self, value):
        with timezone.override(local_zone()):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(local_zone()):
            return super().prepare_value(value)


def _reason_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Applications have been submitted in this call: changing its rules needs a recorded reason."),
    )


class CallForm(forms.ModelForm):
    """A call's notice, dates, quota and public-notice length; with `frozen`, also the reason for a change."""

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        field_classes = {
            "opens_at": BeijingDateTimeField,
            "deadline": BeijingDateTimeField,
            "recommendation_deadline": BeijingDateTimeField,
        }
        widgets = {
            "notice_text": forms.Textarea(attrs={"rows": 14}),
            "implementation_cutoff": DateInput(),
            "publicity_opens_on": DateInput(),
        }
        labels = {"year": _("Year of the call")}
        # Each date says what it means, then the rule `clean` holds it to, in the same words as its error.
        help_texts = {
            "implementation_cutoff": _(
                "A standard must have been implemented at least six months before this date. It is no later than "
                "the submission deadline's date."
            ),
            "publicity_opens_on": _(
                "The first day of the shortlist's public notice. It is after the recommendation deadline's date; "
                "leave it empty until the notice is scheduled."
            ),
        }

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The order of the notice: what it is, then its dates, then its numbers.
        self.order_fields(
            [
                "year",
                "title",
                "notice_number",
                "notice_text",
                "opens_at",
                "deadline",
                "implementation_cutoff",
                "recommendation_deadline",
                "default_quota",
                "publicity_working_days",
                "publicity_opens_on",
            ]
        )
        self.fields["default_quota"].widget.attrs["min"] = 1
        self.fields["publicity_working_days"].widget.attrs.update({"min": 1, "max": MAX_PUBLICITY_WORKING_DAYS})
        if frozen:
            self.fields["reason"] = _reason_field()

    def clean_default_quota(self) -> int:
        quota = self.cleaned_data["default_quota"]
        if quota < 1:
            raise ValidationError(_("The quota is at least 1."))
        return quota

    def clean_publicity_working_days(self) -> int:
        days = self.cleaned_data["publicity_working_days"]
        if not 1 <= days <= MAX_PUBLICITY_WORKING_DAYS:
            raise ValidationError(
                _("The public notice lasts 1 to %(max)d working days."), params={"max": MAX_PUBLICITY_WORKING_DAYS}
            )
        return days

    def clean(self) -> dict:
        data = super().clean()
        opens_at, deadline = data.get("opens_at"), data.get("deadline")
        recommendation_deadline, cutoff = data.get("recommendation_deadline"), data.get("implementation_cutoff")
        if opens_at and deadline and opens_at >= deadline:
            self.add_error("deadline", _("The deadline must come after the opening."))
        if deadline and recommendation_deadline and recommendation_deadline < deadline:
            self.add_error("recommendation_deadline", _("The recommendation deadline cannot come before the deadline."))
        publicity_opens_on = data.get("publicity_opens_on")
        if recommendation_deadline and publicity_opens_on:
            last_day = recommendation_deadline.astimezone(local_zone()).date()
            if publicity_opens_on <= last_day:
                self.add_error(
                    "publicity_opens_on",
                    _("The public notice opens after the recommendation deadline's date (%(day)s).")
                    % {"day": last_day.isoformat()},
                )
        if deadline and cutoff:
            deadline_day = deadline.astimezone(local_zone()).date()
            if cutoff > deadline_day:
                self.add_error(
                    "implementation_cutoff",
                    _("The cut-off cannot be after the deadline's date (%(day)s).") % {"day": deadline_day.isoformat()},
                )
        return data

    def service_fields(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in CALL_FIELDS}


class QuotaForm(forms.Form):
    recommender = ModelChoiceField(label=_("Recommender"), queryset=recommenders())
    quota = forms.IntegerField(
        label=_("Quota"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to put the recommender back on the call's default quota."),
    )

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if frozen:
            self.fields["reason"] = _reason_field()


class ExtensionForm(forms.Form):
    organisation = ModelChoiceField(label=_("Social group"), queryset=social_groups())
    until = BeijingDateTimeField(label=_("Extended until"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CallAttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CallAttachment.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("The name the file is downloaded under."))
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.ofd"}),
        help_text=_("PDF, DOCX, XLSX or OFD; the content is checked."),
    )
