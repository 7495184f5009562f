"""Forms of the pool and the panels: they read and shape what is typed; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.choices import Province
from projects.models.applications import IndustryField
from reviews.models import Expert, Panel
from reviews.services import experts as services


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    affiliation = forms.CharField(
        label=_("Affiliation"),
        max_length=200,
        required=False,
        help_text=_("As it should read; blank: the registry organisation's name."),
    )
    organisation = forms.CharField(
        label=_("Registry organisation"),
        max_length=200,
        required=False,
        help_text=_("Code, credit code or full name of the organisation in the registry, when it is one."),
    )
    title = forms.CharField(label=_("Professional title"), max_length=100, required=False)
    speciality = forms.CharField(label=_("Speciality"), max_length=200, required=False)
    expertise = forms.MultipleChoiceField(
        label=_("Fields of expertise"), choices=IndustryField.choices, widget=forms.CheckboxSelectMultiple
    )
    province = forms.ChoiceField(label=_("Province"), choices=[("", "—"), *Province.choices], required=False)
    kept_away = forms.CharField(
        label=_("Organisations kept away from"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: code, credit code or name, optionally followed by |原单位 (former employer), |顾问 "
            "(advises) or |其他 and |an end date, e.g. CSAX|原单位|2027-06-30."
        ),
    )
    is_active = forms.BooleanField(label=_("Active in the pool"), required=False, initial=True)

    def __init__(self, *args, expert: Expert | None = None, **kwargs) -> None:
        self.expert = expert
        if expert is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": expert.user.name,
                    "email": expert.user.email,
                    "phone": expert.user.phone,
                    "affiliation": expert.affiliation,
                    "organisation": expert.organisation.code if expert.organisation else "",
                    "title": expert.title,
                    "speciality": expert.speciality,
                    "expertise": expert.field_codes,
                    "province": expert.province,
                    "kept_away": services.format_kept_away(expert).replace("; ", "\n"),
                    "is_active": expert.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if expert is None:
            del self.fields["is_active"]
        else:
            # The address is the account's own: it changes by the holder's confirmation link only.
            self.fields["email"].disabled = True

    def clean_organisation(self):
        text = self.cleaned_data["organisation"]
        organisation = services.find_organisation(text)
        if text.strip() and organisation is None:
            raise ValidationError(_("No organisation of the registry has this code, credit code or name."))
        return organisation

    def clean_kept_away(self):
        return services.parse_kept_away(self.cleaned_data["kept_away"])

    def values(self) -> dict:
        """The service's keyword arguments."""
        data = dict(self.cleaned_data)
        data.pop("is_active", None)
        data["fields"] = data.pop("expertise")
        if self.expert is not None:
            data.pop("email")
        return data


class PanelForm(forms.ModelForm):
    class Meta:
        model = Panel
        fields = ["field", "name"]


class MemberForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none())

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = candidates


class ChairForm(forms.Form):
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=Expert.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = members
