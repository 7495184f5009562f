"""Forms of the secretariat's notice pages: they shape what was typed; the services decide (dates, states)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.calls import BeijingDateTimeField
from publicity.models import Notice
from publicity.services.notices import MAX_WORKING_DAYS

TITLE_MAX = Notice._meta.get_field("title").max_length
CONTACT_MAX = Notice._meta.get_field("contact").max_length
BODY_MAX = 20000
REASON_MAX = 2000


class NoticeForm(forms.Form):
    """A notice's text and window. The end is not typed: the working-day calendar computes it."""

    title = forms.CharField(label=_("Title of the notice"), max_length=TITLE_MAX)
    body = forms.CharField(label=_("Text of the notice"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    contact = forms.CharField(
        label=_("Contact for objections"),
        max_length=CONTACT_MAX,
        help_text=_("Who receives objections, e.g. 科技司标准处，010-68205245，bzc@miit.gov.cn"),
    )
    starts_at = BeijingDateTimeField(label=_("Opens"))
    working_days = forms.IntegerField(
        label=_("Working days"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        help_text=_("It closes at the end of the last working day, on the working-day calendar."),
    )

    @classmethod
    def initial_of(cls, notice: Notice) -> dict:
        return {name: getattr(notice, name) for name in cls.base_fields}


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the new version of the list, for everyone to read."),
    )
