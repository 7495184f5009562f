"""Getting in: a social group registers itself, asks to join a group already here, confirms its e-mail."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from portal import accounts, registration
from portal.exceptions import LinkInvalid
from portal.forms import AccountForm, JoinRequestForm, RegistrationForm
from portal.models import Organisation
from portal.public_cache import public_page
from portal.ratelimits import TOO_MANY, client_address, registration_rate
from portal.views.helpers import REFUSED, add_service_errors, bound

# The session's backend for a person logged in right after registering (the first one authenticates only).
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


# The blank form is the same for every visitor: no topic changes it.
@public_page()
@ratelimit(key=client_address, rate=registration_rate, method="POST", block=False, group="registration")
def register(request: HttpRequest) -> HttpResponse:
    """The registration form; logged in, the person is the contact, else the form also makes their account."""
    form = RegistrationForm(**bound(request))
    account_form = None if request.user.is_authenticated else AccountForm(**bound(request), prefix="contact")
    context = {"form": form, "account_form": account_form, "join_form": None, "registered": None}
    if request.method != "POST":
        return render(request, "portal/register.html", context)
    if getattr(request, "limited", False):
        form.add_error(None, _("Too many registrations from your address in a short time: try again in an hour."))
        return render(request, "portal/register.html", context, status=TOO_MANY)
    if form.is_valid() and (account_form is None or account_form.is_valid()):
        try:
            created = registration.register(
                group=form.group(),
                certificate=form.cleaned_data["certificate"],
                contact=request.user if request.user.is_authenticated else None,
                account=None if account_form is None else registration.Account(**account_form.account()),
            )
        except registration.CreditCodeRegistered as taken:
            context.update(registered=taken.organisation, join_form=_join_form(request, form, account_form))
            message = _("%(name)s is registered in the portal already.") % {"name": taken.organisation}
            form.add_error("credit_code", message)
        except ValidationError as error:
            _spread_errors(error, form, account_form)
        else:
            return _registered(request, created)
    # A browser never fills a file input again: the page says so beside the certificate.
    context["choose_file_again"] = "certificate" in request.FILES
    return render(request, "portal/register.html", context, status=REFUSED)


def _registered(request: HttpRequest, created) -> HttpResponse:
    if not request.user.is_authenticated:
        login(request, created.contact, backend=LOGIN_BACKEND)
    if created.contact.email_confirmed_at is None:
        messages.success(
            request,
            _("Your request is filed. Open the link we sent to %(email)s to confirm it; then the secretariat decides.")
            % {"email": created.contact.email},
        )
    else:
        messages.success(request, _("Your request is filed; the secretariat will decide on it."))
    return redirect("portal:dashboard")


def _join_form(request: HttpRequest, form: RegistrationForm, account_form: AccountForm | None) -> JoinRequestForm:
    """The offer to ask the registered organisation's administrators instead, with what was typed already."""
    person = account_form.cleaned_data if account_form is not None else {}
    user = request.user if request.user.is_authenticated else None
    initial = {
        "credit_code": form.cleaned_data["credit_code"],
        "name": person.get("name") or (user.get_full_name() if user else ""),
        "email": person.get("email") or (user.email if user else ""),
        "phone": person.get("phone") or (user.phone if user else ""),
    }
    return JoinRequestForm(initial=initial, prefix="join")


def _spread_errors(error: ValidationError, form: RegistrationForm, account_form: AccountForm | None) -> None:
    """Each refusal beside the field it concerns, in whichever of the two forms has it."""
    if account_form is None or not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    for name, errors in error.error_dict.items():
        target = account_form if name in account_form.fields else form
        target.add_error(name if name in target.fields else None, errors)


@require_POST
@ratelimit(key=client_address, rate=registration_rate, method="POST", block=False, group="registration")
def join_request(request: HttpRequest) -> HttpResponse:
    """Ask a registered organisation's administrators to add the person (they invite them if they agree)."""
    form = JoinRequestForm(request.POST, prefix="join")
    organisation = None
    if form.is_valid():
        organisation = Organisation.objects.filter(credit_code=form.cleaned_data["credit_code"], is_active=True).first()
    if getattr(request, "limited", False) or organisation is None:
        message = (
            _("Too many requests from your address in a short time: try again in an hour.")
            if getattr(request, "limited", False)
            else _("Check your name, e-mail and mobile, and try again.")
        )
        context = {"form": form, "message": message, "organisation": organisation}
        status = TOO_MANY if getattr(request, "limited", False) else REFUSED
        return render(request, "portal/join_request.html", context, status=status)
    data = form.cleaned_data
    by = request.user if request.user.is_authenticated else None
    told = registration.ask_to_join(
        organisation=organisation, name=data["name"], email=data["email"], phone=data["phone"], by=by
    )
    if told:
        messages.success(
            request,
            _("The administrators of %(name)s have been told; if they agree, they invite you by e-mail.")
            % {"name": organisation.name},
        )
    else:
        messages.warning(
            request,
            _("%(name)s has no administrator in the portal yet: please contact the secretariat.")
            % {"name": organisation.name},
        )
    return redirect("portal:home")


def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A confirmation link: shown with a button (a mail scanner's visit changes nothing), confirmed on POST."""
    try:
        user, address = accounts.read_email_link(token)
    except LinkInvalid as invalid:
        return render(request, "portal/link_invalid.html", {"message": invalid.message}, status=invalid.status)
    if request.method == "POST":
        try:
            registration.confirm_contact_email(token=token)
        except LinkInvalid as invalid:
            return render(request, "portal/link_invalid.html", {"message": invalid.message}, status=invalid.status)
        except ValidationError as error:
            context = {"message": " ".join(error.messages)}
            return render(request, "portal/link_invalid.html", context, status=409)
        messages.success(request, _("Your e-mail address %(email)s is confirmed.") % {"email": address})
        return redirect("portal:dashboard" if request.user.is_authenticated else "login")
    return render(request, "portal/email_confirm.html", {"address": address, "account": user})
