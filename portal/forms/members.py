"""Forms of an organisation's administrators and of the secretariat's organisations page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.choices import OrganisationKind, Province
from portal.members import CREATED_BY_SECRETARIAT
from portal.models import Organisation
from portal.validators import validate_credit_code


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"), max_length=254)
    as_admin = forms.BooleanField(label=_("As an administrator"), required=False)


class OrganisationForm(forms.ModelForm):
    """A provincial department, an industry delegate or a ministry department, and its first administrator."""

    admin_email = forms.EmailField(
        label=_("First administrator's e-mail"),
        max_length=254,
        help_text=_("An invitation is sent there; the administrator then invites colleagues."),
    )

    class Meta:
        model = Organisation
        fields = ["kind", "name", "short_name", "code", "credit_code", "province"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(OrganisationKind.choices)
        self.fields["kind"].choices = [(kind.value, labels[kind]) for kind in CREATED_BY_SECRETARIAT]
        self.fields["province"].choices = [("", _("None (a national organisation)")), *Province.choices]
        # Wider than 18 and checked after the spaces are gone (clean_credit_code): a code pasted with spaces
        # must reach the server whole.
        self.fields["credit_code"].max_length = 30
        self.fields["credit_code"].validators = []
        self.fields["credit_code"].widget.attrs["maxlength"] = "30"

    def clean_credit_code(self) -> str:
        code = "".join(self.cleaned_data["credit_code"].split()).upper()
        validate_credit_code(code)
        return code

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == OrganisationKind.PROVINCIAL_DEPARTMENT and not cleaned.get("province"):
            self.add_error("province", _("A provincial department belongs to a province: choose it."))
        return cleaned

    def organisation(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}
