"""Forms about people: a new account (registration, an invitation), one's own profile and e-mail address."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts import normalise_mobile
from portal.models import User


class MobileField(forms.CharField):
    """A mainland mobile number as people type it (spaces, hyphens, +86), stored as its 11 digits."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        value = super().clean(value)
        return normalise_mobile(value) if value else value


class AccountForm(forms.Form):
    """Who the person is and how they sign in. The e-mail is asked only where no link has proven it yet."""

    name = forms.CharField(label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = MobileField(label=_("Mobile"))
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("A link to confirm it is sent there."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("What you type to log in: letters, digits and @ . + - _"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, ask_email: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not ask_email:
            del self.fields["email"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned

    def account(self) -> dict[str, str]:
        data = self.cleaned_data
        account = {"username": data["username"], "name": data["name"], "phone": data["phone"]}
        if "email" in data:
            account["email"] = data["email"]
        return {**account, "password": data["password1"]}


class ReactivateForm(forms.Form):
    """An invitation to an address whose account was deactivated: a new password brings the account back."""

    password1 = AccountForm.base_fields["password1"]
    password2 = AccountForm.base_fields["password2"]

    def clean(self) -> dict:
        return AccountForm.clean(self)

    def account(self) -> dict[str, str]:
        return {"password": self.cleaned_data["password1"]}


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=User._meta.get_field("name").max_length)
    phone = MobileField(label=_("Mobile"), required=False)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Enter your name."))
        return name


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        help_text=_("Your address changes once you open the link sent to the new one."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
