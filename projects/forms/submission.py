"""The confirmation of a submission: the integrity pledge (诚信承诺) confirmed once more, at the moment of sending."""

from django import forms
from django.utils.translation import gettext_lazy as _

PLEDGE_LABEL = _(
    "On behalf of the social group, I confirm the integrity pledge above once more and submit the application."
)
PLEDGE_REQUIRED = _("Tick the box to confirm the integrity pledge: the application was not submitted.")


class SubmitForm(forms.Form):
    pledge_confirmed = forms.BooleanField(label=PLEDGE_LABEL, error_messages={"required": PLEDGE_REQUIRED})

    def __init__(self, *args, **kwargs) -> None:
        # The label is a sentence with its own full stop: no colon after it.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
