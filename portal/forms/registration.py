"""The registration form of a social group and the secretariat's decision on it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import RegistrationRequest
from portal.registration import CERTIFICATE_KINDS
from portal.uploads import accept_attribute
from portal.validators import validate_credit_code


def _credit_code(text: str) -> str:
    # Typed or pasted with spaces and in lower case; the code itself is 18 upper-case characters.
    return "".join(text.split()).upper()


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = RegistrationRequest
        fields = [
            "name",
            "code",
            "credit_code",
            "social_group_type",
            "registration_authority",
            "province",
            "legal_representative",
            "certificate",
        ]
        labels = {"certificate": _("Registration certificate (社会团体法人登记证书)")}
        help_texts = {"certificate": _("A scan or photo: PDF, JPG or PNG.")}
        widgets = {
            "certificate": forms.ClearableFileInput(attrs={"accept": accept_attribute(CERTIFICATE_KINDS)}),
            "credit_code": forms.TextInput(attrs={"autocapitalize": "characters"}),
            "code": forms.TextInput(attrs={"autocapitalize": "characters"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Wider than 18 and checked after the spaces are gone (clean_credit_code): a code pasted with spaces
        # must reach the server whole.
        self.fields["credit_code"].max_length = 30
        self.fields["credit_code"].validators = []
        self.fields["credit_code"].widget.attrs["maxlength"] = "30"
        for name in ("social_group_type", "province"):
            self.fields[name].choices = [("", _("Choose…")), *self.fields[name].choices[1:]]

    def clean_credit_code(self) -> str:
        code = _credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not code.isascii() or not code.isalnum():
            raise forms.ValidationError(_("Use upper-case letters and digits only, e.g. ZZB."))
        return code

    def group(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field in self.Meta.fields if field != "certificate"}


class JoinRequestForm(forms.Form):
    """Asking an organisation already in the portal to add the person: what its administrators need to know."""

    credit_code = forms.CharField(widget=forms.HiddenInput, max_length=30)
    name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Mobile"), max_length=20)

    def clean_credit_code(self) -> str:
        return _credit_code(self.cleaned_data["credit_code"])


class ApproveForm(forms.Form):
    ministry_managed = forms.BooleanField(
        label=_("Ministry-managed social group (部管社会团体): applies directly, without a recommender"),
        required=False,
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The group's contact reads it."),
    )
