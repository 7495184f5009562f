"""Conflicts of interest (回避): which organisations an application involves, which ones an expert belongs to.

Both sides are reduced to comparable keys: "org:<pk>" for an organisation of the registry and
"name:<normalised name>" for a name as written, so that an implementing enterprise or a drafting unit typed as
text still meets the expert whose affiliation reads the same. An expert is in conflict with an application when
the two key sets meet. The bulk functions read any number of applications or experts in a fixed number of
queries, for the solver; `conflict_reason` says in words why one pair is refused.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Membership, Organisation
from projects.models import Application
from reviews.models import Expert, KeptAway

_UNIT_SEPARATORS = re.compile(r"[、，,;；\n]+")

# What an organisation is to an application (the reason's "is … of"), and to an expert (the reason's "'s …").
ROLES = {
    "group": gettext_lazy("the applicant group"),
    "enterprise": gettext_lazy("an implementing enterprise"),
    "drafting_unit": gettext_lazy("a drafting unit"),
    "co_issuer": gettext_lazy("a co-issuer"),
    "recommender": gettext_lazy("the recommender"),
}
TIES = {
    "affiliation": gettext_lazy("affiliation"),
    "kept_away": gettext_lazy("organisation kept away from"),
    "membership": gettext_lazy("organisation"),
}


@dataclass(frozen=True)
class Party:
    """An organisation as one side sees it: its name as shown, and what it is to the application or expert."""

    name: str
    kind: str


def normalise(name: str) -> str:
    """The name as compared: full-width folded (NFKC), without spaces, case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or "")).casefold()


def name_key(name: str) -> str | None:
    folded = normalise(name)
    return f"name:{folded}" if folded else None


def _organisation(parties: dict[str, Party], organisation: Organisation | None, kind: str) -> None:
    if organisation is None:
        return
    parties.setdefault(f"org:{organisation.pk}", Party(organisation.name, kind))
    _name(parties, organisation.name, kind)


def _name(parties: dict[str, Party], name: str, kind: str) -> None:
    key = name_key(name)
    if key:
        parties.setdefault(key, Party(name.strip(), kind))


# --- applications -------------------------------------------------------------------------------------
def applications_for_conflicts(queryset) -> Iterable[Application]:
    """The applications with what `application_parties` reads, in a fixed number of queries."""
    return queryset.select_related("group", "recommender", "standard__issuer__organisation").prefetch_related(
        "enterprises", "standard__co_issuers__organisation"
    )


def application_parties(applications: Iterable[Application]) -> dict[int, dict[str, Party]]:
    """Per application id: the organisations its experts must not belong to, by key.

    Implementing enterprises are names and credit codes, not the registry's rows: a credit code found in the
    registry adds that organisation (one query for all), the name always adds its name key.
    """
    applications = list(applications)
    codes = {
        enterprise.credit_code for a in applications for enterprise in a.enterprises.all() if enterprise.credit_code
    }
    registry = {org.credit_code: org for org in Organisation.objects.filter(credit_code__in=codes)} if codes else {}
    result = {}
    for application in applications:
        parties: dict[str, Party] = {}
        _organisation(parties, application.group, "group")
        _organisation(parties, application.standard.issuer.organisation, "group")
        for enterprise in application.enterprises.all():
            _organisation(parties, registry.get(enterprise.credit_code), "enterprise")
            _name(parties, enterprise.name, "enterprise")
        for unit in _UNIT_SEPARATORS.split(application.standard.drafting_units or ""):
            _name(parties, unit, "drafting_unit")
        for co_issuer in application.standard.co_issuers.all():
            _organisation(parties, co_issuer.organisation, "co_issuer")
        _organisation(parties, application.recommender, "recommender")
        result[application.pk] = parties
    return result


# --- experts ------------------------------------------------------------------------------------------
def experts_for_conflicts(queryset) -> Iterable[Expert]:
    """The experts with what `expert_parties` reads (kept-away rows still in force only), in fixed queries."""
    today = timezone.localdate()
    in_force = KeptAway.objects.filter(Q(until__isnull=True) | Q(until__gte=today)).select_related("organisation")
    return queryset.select_related("user", "organisation").prefetch_related(
        Prefetch("kept_away_rows", queryset=in_force, to_attr="kept_away_in_force"),
        Prefetch("user__memberships", queryset=Membership.objects.select_related("organisation")),
    )


def expert_parties(experts: Iterable[Expert]) -> dict[int, dict[str, Party]]:
    """Per expert id: the organisations the expert belongs to or is kept away from, by key."""
    result = {}
    for expert in experts:
        parties: dict[str, Party] = {}
        _organisation(parties, expert.organisation, "affiliation")
        _name(parties, expert.affiliation, "affiliation")
        for row in expert.kept_away_in_force:
            _organisation(parties, row.organisation, "kept_away")
        for membership in expert.user.memberships.all():
            _organisation(parties, membership.organisation, "membership")
        result[expert.pk] = parties
    return result


# --- one pair -----------------------------------------------------------------------------------------
def reason_between(expert: Expert, ties: dict[str, Party], application: Application, parties: dict[str, Party]):
    """Why the expert is in conflict with the application, from both sides' keys; None when they do not meet."""
    shared = sorted(ties.keys() & parties.keys())
    if not shared:
        return None
    # An organisation of the registry says it more precisely than its name.
    key = next((key for key in shared if key.startswith("org:")), shared[0])
    tie, party = ties[key], parties[key]
    return _("%(expert)s's %(tie)s %(organisation)s is %(role)s of %(application)s") % {
        "expert": expert.user.get_full_name(),
        "tie": TIES[tie.kind],
        "organisation": party.name if key.startswith("org:") else tie.name,
        "role": ROLES[party.kind],
        "application": application.standard.display_number,
    }


def conflict_reason(expert: Expert, application: Application) -> str | None:
    """The human reason the expert may not review the application ("张三's affiliation 清华大学 is a drafting
    unit of T/ZZB 1—2019"), or None when nothing ties them."""
    [loaded_expert] = experts_for_conflicts(Expert.objects.filter(pk=expert.pk))
    [loaded_application] = applications_for_conflicts(Application.objects.filter(pk=application.pk))
    return reason_between(
        loaded_expert,
        expert_parties([loaded_expert])[expert.pk],
        loaded_application,
        application_parties([loaded_application])[application.pk],
    )
