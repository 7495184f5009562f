"""Forms for the shared pages. They validate and shape input; the services decide and write."""

from portal.forms.accounts import AccountForm, EmailChangeForm, ProfileForm, ReactivateForm
from portal.forms.calendar import CalendarDayForm
from portal.forms.members import InviteForm, OrganisationForm
from portal.forms.registration import ApproveForm, JoinRequestForm, RefuseForm, RegistrationForm

__all__ = [
    "AccountForm",
    "ApproveForm",
    "CalendarDayForm",
    "EmailChangeForm",
    "InviteForm",
    "JoinRequestForm",
    "OrganisationForm",
    "ProfileForm",
    "ReactivateForm",
    "RefuseForm",
    "RegistrationForm",
]
