"""The notice's eligibility rules for an application, as plain functions over the models (no writes)."""

from datetime import date, datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from portal.choices import OrganisationKind
from portal.models import Organisation
from projects.models import Application, ApplicationStatus, Call, DeadlineExtension, QuotaOverride, RecommenderExtension
from standards.models import GroupStandard, StandardStatus

# A recommendation counts against the quota once made, whatever the formal check found since (admitted or
# ineligible, it used a place); only a withdrawal gives its place back.
COUNTS_AS_RECOMMENDED = Q(recommended_at__isnull=False) & ~Q(status=ApplicationStatus.WITHDRAWN)

IMPLEMENTED_MONTHS = 6  # notice 324: in use for at least six months by the call's cut-off


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, clamped to the month's end (2024-08-31 minus 6 months is 2024-02-29)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def latest_implementation_date(call: Call) -> date:
    return months_before(call.implementation_cutoff, IMPLEMENTED_MONTHS)


def standard_problems(call: Call, group: Organisation, standard: GroupStandard) -> list[str]:
    """Why this standard may not be the subject of the group's application in this call (empty if it may)."""
    problems = []
    issuers = {standard.issuer.organisation_id, *(g.organisation_id for g in standard.co_issuers.all())}
    if group.pk not in issuers:
        problems.append(
            _("%(number)s was not issued or co-issued by your group.") % {"number": standard.display_number}
        )
    if standard.status != StandardStatus.CURRENT:
        problems.append(
            _("%(number)s is not current (%(status)s).")
            % {"number": standard.display_number, "status": standard.get_status_display()}
        )
    latest = latest_implementation_date(call)
    if standard.implementation_date > latest:
        problems.append(
            _(
                "%(number)s was implemented on %(implemented)s; this call requires implementation on or before "
                "%(latest)s (six months before the cut-off %(cutoff)s)."
            )
            % {
                "number": standard.display_number,
                "implemented": standard.implementation_date.isoformat(),
                "latest": latest.isoformat(),
                "cutoff": call.implementation_cutoff.isoformat(),
            }
        )
    return problems


def allowed_recommenders(group: Organisation) -> list[Organisation]:
    """The group's province's department and every industry delegate; none for a ministry-managed group."""
    if group.ministry_managed:
        return []
    candidates = Organisation.objects.filter(is_active=True).filter(
        kind__in=[OrganisationKind.PROVINCIAL_DEPARTMENT, OrganisationKind.INDUSTRY_DELEGATE]
    )
    return [
        org
        for org in candidates.order_by("kind", "name")
        if org.kind == OrganisationKind.INDUSTRY_DELEGATE or org.province == group.province
    ]


def submission_deadline(call: Call, group: Organisation) -> datetime:
    """The call's deadline, or the later one the secretariat granted this group."""
    extension = DeadlineExtension.objects.filter(call=call, organisation=group).first()
    return max(call.deadline, extension.until) if extension else call.deadline


def is_open_for(call: Call, group: Organisation, now: datetime) -> bool:
    """Within its dates (the group's extension included), and published: a draft call is open to no one."""
    return call.is_published and call.opens_at <= now <= submission_deadline(call, group)


def recommendation_deadline(call: Call, recommender: Organisation | None) -> datetime:
    """The call's recommendation deadline, or the later one the secretariat granted this recommender."""
    if recommender is None:
        return call.recommendation_deadline
    until = RecommenderExtension.objects.filter(call=call, recommender=recommender).values_list("until", flat=True)
    extended = until.first()
    return max(call.recommendation_deadline, extended) if extended else call.recommendation_deadline


def resubmission_deadline(application: Application) -> datetime:
    """A returned application goes back to its recommender before the recommender's deadline."""
    return recommendation_deadline(application.call, application.recommender)


def quota_for(call: Call, recommender: Organisation) -> int:
    """How many applications `recommender` may recommend in `call`: its own quota, or the call's default."""
    override = QuotaOverride.objects.filter(call=call, recommender=recommender).values_list("quota", flat=True).first()
    return override if override is not None else call.default_quota


def recommendation_open(call: Call, now: datetime, recommender: Organisation | None = None) -> bool:
    """Recommenders decide (recommend, return, decline, reorder) up to and including their deadline."""
    return now <= recommendation_deadline(call, recommender)
