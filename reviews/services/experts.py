"""Writes on the expert pool (专家库) and the panels (评审组) of a call.

Callers check the right first (the secretariat's, `portal.permissions.is_secretariat`); these functions check
the data. A refusal is a `ValidationError` keyed by field, so a form can show it beside what the user typed.
Every change is audited; a call that changes nothing writes nothing, so an import run twice is harmless.
"""

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from portal import audit
from portal.accounts import normalise_mobile
from portal.links import absolute
from portal.mail import send_after_commit
from portal.models import Organisation, User
from projects.models.applications import IndustryField
from reviews.models import Expert, ExpertField, KeptAway, KeptAwayReason, Panel, PanelMembership

_LIST_SEPARATORS = re.compile(r"[\n,，、;；]+")
# The fields' Chinese names as the secretariat writes them (the translations' words, and shorter forms).
_FIELD_WORDS = {
    "原材料": IndustryField.RAW_MATERIALS,
    "原材料工业": IndustryField.RAW_MATERIALS,
    "装备制造": IndustryField.EQUIPMENT,
    "装备": IndustryField.EQUIPMENT,
    "装备工业": IndustryField.EQUIPMENT,
    "消费品": IndustryField.CONSUMER_GOODS,
    "消费品工业": IndustryField.CONSUMER_GOODS,
    "电子信息": IndustryField.ELECTRONICS,
    "通信": IndustryField.COMMUNICATIONS,
    "信息通信": IndustryField.COMMUNICATIONS,
    "节能环保": IndustryField.ENERGY_ENVIRONMENT,
    "节能与环保": IndustryField.ENERGY_ENVIRONMENT,
    "安全生产": IndustryField.SAFETY,
    "其他": IndustryField.OTHER,
}
_REASON_WORDS = {
    "原单位": KeptAwayReason.FORMER_EMPLOYER,
    "原工作单位": KeptAwayReason.FORMER_EMPLOYER,
    "顾问": KeptAwayReason.ADVISES,
    "顾问单位": KeptAwayReason.ADVISES,
    "其他": KeptAwayReason.OTHER,
} | {value: KeptAwayReason(value) for value in KeptAwayReason.values}


@dataclass(frozen=True)
class KeptAwaySpec:
    """One organisation to keep the expert away from, as a form or an import gives it."""

    organisation: Organisation
    reason: str = KeptAwayReason.OTHER
    until: date | None = None


# --- reading what people type ------------------------------------------------------------------------
def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_fields(text: str) -> list[str]:
    """Industry fields separated by 、 , or ; as codes, Chinese or English names; ValidationError naming the
    ones that are none."""
    with translation.override("en"):
        english = {str(label).lower(): value for value, label in IndustryField.choices}
    words = _FIELD_WORDS | english | {value: value for value in IndustryField.values}
    codes, unknown = [], []
    for item in (_fold(part) for part in _LIST_SEPARATORS.split(text or "")):
        if not item:
            continue
        code = words.get(item) or words.get(item.lower())
        (codes if code else unknown).append(code or item)
    if unknown:
        raise ValidationError(
            _("Not an industry field: %(items)s. Use %(fields)s.")
            % {"items": "、".join(unknown), "fields": "、".join(_FIELD_WORDS_SHOWN)},
            code="field",
        )
    return [value for value in IndustryField.values if value in codes]


_FIELD_WORDS_SHOWN = ("原材料", "装备制造", "消费品", "电子信息", "通信", "节能环保", "安全生产", "其他")


def find_organisation(text: str) -> Organisation | None:
    """The registry's organisation named by its code, its credit code or its full name; None when none is."""
    text = _fold(text)
    if not text:
        return None
    compact = re.sub(r"\s+", "", text).upper()
    return Organisation.objects.filter(Q(code=compact) | Q(credit_code=compact) | Q(name=text)).first()


def parse_kept_away(text: str) -> list[KeptAwaySpec]:
    """Organisations separated by 、 , ; or lines, each `organisation[|reason[|until]]`: the organisation by
    code, credit code or name; the reason 原单位, 顾问 or 其他 (former_employer, advises, other); until a date."""
    specs, problems = [], []
    for item in (_fold(part) for part in _LIST_SEPARATORS.split(text or "")):
        if not item:
            continue
        name, reason, until = ([*(part.strip() for part in item.split("|")), "", ""])[:3]
        organisation = find_organisation(name)
        if organisation is None:
            problems.append(_("%(name)s is not an organisation of the registry.") % {"name": name})
            continue
        if reason and reason.lower() not in _REASON_WORDS:
            problems.append(_("“%(reason)s” is not 原单位, 顾问 or 其他.") % {"reason": reason})
            continue
        try:
            end = datetime.strptime(until, "%Y-%m-%d").date() if until else None  # noqa: DTZ007 — a calendar date
        except ValueError:
            problems.append(_("“%(until)s” is not a date such as 2027-06-30.") % {"until": until})
            continue
        specs.append(KeptAwaySpec(organisation, _REASON_WORDS.get(reason.lower(), KeptAwayReason.OTHER), end))
    if problems:
        raise ValidationError(" ".join(problems), code="kept_away")
    return specs


def format_kept_away(expert: Expert) -> str:
    """The expert's kept-away organisations written the way `parse_kept_away` reads them."""
    parts = []
    for row in expert.kept_away_rows.all():
        part = row.organisation.code
        if row.reason != KeptAwayReason.OTHER or row.until:
            part += f"|{row.reason}"
        if row.until:
            part += f"|{row.until:%Y-%m-%d}"
        parts.append(part)
    return "; ".join(parts)


# --- the pool ----------------------------------------------------------------------------------------
def _check_person(*, name: str, email: str, phone: str) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    name, email, phone = name.strip(), email.strip(), phone.strip()
    if not name:
        errors["name"] = [_("This field cannot be blank.")]
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.messages
    if phone:
        # A landline (010-62781234) is kept as typed: the pool needs a number to call, not a mobile.
        with contextlib.suppress(ValidationError):
            phone = normalise_mobile(phone)
        if len(phone) > 30:
            errors["phone"] = [_("Ensure this value has at most 30 characters.")]
    if errors:
        raise ValidationError(errors)
    return name, email, phone


def _expert_fields(
    *, affiliation: str, organisation: Organisation | None, title: str, speciality: str, province: str
) -> dict[str, object]:
    affiliation = affiliation.strip() or (organisation.name if organisation else "")
    if not affiliation:
        raise ValidationError({"affiliation": _("Give the affiliation, or the registry's organisation.")})
    return {
        "affiliation": affiliation,
        "organisation": organisation,
        "title": title.strip(),
        "speciality": speciality.strip(),
        "province": province,
    }


def _new_username(email: str) -> str:
    base = email.lower()[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _mail_set_password(user: User) -> None:
    """The foundation's reset link (django.contrib.auth's confirm page), sent as an invitation to the pool."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = absolute(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))
    body = _(
        "Hello %(name)s,\n\nThe secretariat has added you to the expert pool of the portal of group-standard "
        "application demonstration projects. Your user name is %(username)s. To choose your password, open "
        "this link:\n\n%(link)s\n\nIf the link has expired, ask for a new one with “Forgot your password?” on "
        "the login page."
    ) % {"name": user.get_full_name(), "username": user.username, "link": link}
    send_after_commit(to=user.email, subject=_("You are in the expert pool: choose your password"), body=body)


def _set_fields(expert: Expert, codes: Sequence[str]) -> bool:
    current = set(expert.expertise.values_list("field", flat=True))
    wanted = set(codes)
    if current == wanted:
        return False
    expert.expertise.exclude(field__in=wanted).delete()
    ExpertField.objects.bulk_create([ExpertField(expert=expert, field=code) for code in wanted - current])
    return True


def _set_kept_away(expert: Expert, specs: Iterable[KeptAwaySpec]) -> bool:
    wanted = {spec.organisation.pk: spec for spec in specs}
    if any(spec.organisation.pk == expert.organisation_id for spec in wanted.values()):
        raise ValidationError({"kept_away": _("The expert's own organisation is kept away from already.")})
    current = {row.organisation_id: (row.reason, row.until) for row in expert.kept_away_rows.all()}
    if current == {pk: (spec.reason, spec.until) for pk, spec in wanted.items()}:
        return False
    expert.kept_away_rows.all().delete()
    KeptAway.objects.bulk_create(
        [KeptAway(expert=expert, organisation=s.organisation, reason=s.reason, until=s.until) for s in wanted.values()]
    )
    return True


@transaction.atomic
def add_expert(
    *,
    name: str,
    email: str,
    phone: str = "",
    affiliation: str = "",
    organisation: Organisation | None = None,
    title: str = "",
    speciality: str = "",
    province: str = "",
    fields: Sequence[str] = (),
    kept_away: Iterable[KeptAwaySpec] = (),
    by: User | None = None,
) -> Expert:
    """Add a person to the pool. An account with this address becomes the expert; otherwise an account is made
    with an unusable password and its holder is mailed a link to choose one (after commit).

    Raises ValidationError by field (blank name or affiliation, bad address, an expert already). Audited as
    `expert.create` (and `user.create` for a new account).
    """
    name, email, phone = _check_person(name=name, email=email, phone=phone)
    values = _expert_fields(
        affiliation=affiliation, organisation=organisation, title=title, speciality=speciality, province=province
    )
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and Expert.objects.filter(user=user).exists():
        raise ValidationError({"email": _("An expert with this e-mail address is in the pool already.")})
    if user is None:
        user = User(username=_new_username(email), email=email, name=name, phone=phone)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit.record(action="user.create", target=user, actor=by, note=user.username)
        _mail_set_password(user)
    expert = Expert(user=user, **values)
    expert.full_clean(exclude=["user"])
    expert.save()
    _set_fields(expert, fields)
    _set_kept_away(expert, kept_away)
    audit.record(action="expert.create", target=expert, actor=by, note=user.email)
    return expert


@transaction.atomic
def update_expert(
    *,
    expert: Expert,
    by: User | None = None,
    fields: Sequence[str] | None = None,
    kept_away: Iterable[KeptAwaySpec] | None = None,
    **changes,
) -> list[str]:
    """Change the expert's details; return the names that changed (nothing changed writes nothing).

    `changes` may hold name and phone (of the account), affiliation, organisation, title, speciality and
    province; `fields` and `kept_away`, unless None, replace the expert's. The address is the account's own
    and changes only by its confirmation link. Audited as `expert.update` with the changed names.
    """
    current = Expert.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(pk=expert.pk)
    user = current.user
    name, _email, phone = _check_person(
        name=changes.pop("name", user.name), email=user.email, phone=changes.pop("phone", user.phone)
    )
    values = _expert_fields(
        affiliation=changes.get("affiliation", current.affiliation),
        organisation=changes.get("organisation", current.organisation),
        title=changes.get("title", current.title),
        speciality=changes.get("speciality", current.speciality),
        province=changes.get("province", current.province),
    )
    changed = [key for key, value in values.items() if getattr(current, key) != value]
    user_changed = [key for key, value in (("name", name), ("phone", phone)) if getattr(user, key) != value]
    for key in changed:
        setattr(current, key, values[key])
    if changed:
        current.full_clean(exclude=["user"])
        current.save(update_fields=changed)
    if user_changed:
        user.name, user.phone = name, phone
        user.save(update_fields=user_changed)
    changed += user_changed
    if fields is not None and _set_fields(current, fields):
        changed.append("fields")
    if kept_away is not None and _set_kept_away(current, kept_away):
        changed.append("kept_away")
    if changed:
        audit.record(action="expert.update", target=current, actor=by, note=", ".join(changed))
    return changed


@transaction.atomic
def set_expert_active(*, expert: Expert, active: bool, by: User | None = None) -> bool:
    """Take the expert out of the pool (or back): an inactive expert holds no expert role and joins no panel.
    Their panels keep them until removed. Return whether it changed; audited as `expert.deactivate` or
    `expert.activate`."""
    updated = Expert.objects.filter(pk=expert.pk, is_active=not active).update(is_active=active)
    expert.is_active = active
    if updated:
        audit.record(action="expert.activate" if active else "expert.deactivate", target=expert, actor=by)
    return bool(updated)


def deactivate_expert(*, expert: Expert, by: User | None = None) -> bool:
    return set_expert_active(expert=expert, active=False, by=by)


# --- panels ------------------------------------------------------------------------------------------
@transaction.atomic
def create_panel(*, call, field: str, name: str, by: User | None = None) -> Panel:
    """A panel of the call in one industry field; its name is unique in the call. Audited as `panel.create`."""
    panel = Panel(call=call, field=field, name=name.strip())
    panel.full_clean(exclude=["call"], validate_unique=False)
    if Panel.objects.filter(call=call, name=panel.name).exists():
        raise ValidationError({"name": _("The call has a panel of this name already.")})
    panel.save()
    audit.record(action="panel.create", target=panel, actor=by)  # the panel's name says its call and field
    return panel


def _locked(panel: Panel) -> Panel:
    return Panel.objects.select_for_update().get(pk=panel.pk)


@transaction.atomic
def add_panel_member(*, panel: Panel, expert: Expert, by: User | None = None) -> bool:
    """Add an active expert who reviews in the panel's field; return False when already a member.
    Audited as `panel.member_add`."""
    panel = _locked(panel)
    if not expert.is_active:
        raise ValidationError({"expert": _("%(expert)s is no longer active in the pool.") % {"expert": expert}})
    if not expert.expertise.filter(field=panel.field).exists():
        raise ValidationError(
            {
                "expert": _("%(expert)s does not review in the field %(field)s.")
                % {"expert": expert, "field": panel.get_field_display()}
            }
        )
    _membership, created = PanelMembership.objects.get_or_create(panel=panel, expert=expert)
    if created:
        audit.record(action="panel.member_add", target=panel, actor=by, note=str(expert.user))
    return created


@transaction.atomic
def remove_panel_member(*, panel: Panel, expert: Expert, by: User | None = None) -> bool:
    """Take the expert off the panel (and out of its chair); return False when not a member.
    Audited as `panel.member_remove`."""
    panel = _locked(panel)
    deleted, _rows = PanelMembership.objects.filter(panel=panel, expert=expert).delete()
    if not deleted:
        return False
    if panel.chair_id == expert.pk:
        panel.chair = None
        panel.save(update_fields=["chair"])
    audit.record(action="panel.member_remove", target=panel, actor=by, note=str(expert.user))
    return True


@transaction.atomic
def set_chair(*, panel: Panel, expert: Expert | None, by: User | None = None) -> bool:
    """Name a member the panel's chair (组长), or none; return whether it changed. Audited as `panel.chair`."""
    panel = _locked(panel)
    if expert is not None and not PanelMembership.objects.filter(panel=panel, expert=expert).exists():
        raise ValidationError({"expert": _("Only a member of the panel can chair it.")})
    if panel.chair_id == (expert.pk if expert else None):
        return False
    panel.chair = expert
    panel.save(update_fields=["chair"])
    audit.record(action="panel.chair", target=panel, actor=by, note=str(expert.user) if expert else "—")
    return True
