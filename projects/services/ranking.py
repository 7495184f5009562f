"""The order of a social group's applications in its summary table (汇总表) of a call."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import audit
from portal.models import Organisation, User
from projects import permissions, rules
from projects.models import Application, ApplicationStatus, Call


@transaction.atomic
def set_group_ranks(*, call: Call, group: Organisation, ranks: dict[int, int | None], by: User) -> list[Application]:
    """Give each of the group's live applications in the call its rank (application id → 1..n, each once), or
    clear the order (None for every one): the table then lists them in the order they were started.

    Preconditions: `by` acts for the social group; the call is still open for the group (its deadline or
    the group's extension); `ranks` names exactly the group's live applications. Audited as
    `application.rank` on each application whose rank changed ("2 → —" when cleared); returns those.
    """
    if not permissions.can_apply(by, group):
        raise PermissionDenied
    if not rules.is_open_for(call, group, timezone.now()):
        raise ValidationError(
            _(
                "The ranking can be changed only while the call is open for your group: "
                "it opens %(opens)s and closes %(closes)s (Beijing time)."
            )
            % {"opens": _beijing(call.opens_at), "closes": _beijing(rules.submission_deadline(call, group))}
        )
    # Locked so that two saves at once, or a withdrawal meanwhile, cannot leave a clash or a gap.
    live = list(
        Application.objects.select_for_update()
        .filter(call=call, group=group)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .order_by("pk")
    )
    _check(ranks, live)
    changed = [application for application in live if application.group_rank != ranks[application.pk]]
    # The unique (call, group, group_rank) constraint is checked row by row, so swapping 1 and 2 directly
    # would clash: clear the ranks that move, then set them (NULLs never clash).
    Application.objects.filter(pk__in=[application.pk for application in changed]).update(group_rank=None)
    for application in changed:
        previous, application.group_rank = application.group_rank, ranks[application.pk]
        if application.group_rank is not None:
            Application.objects.filter(pk=application.pk).update(group_rank=application.group_rank)
        note = f"{previous or '—'} → {application.group_rank or '—'}"
        audit.record(action="application.rank", target=application, actor=by, note=note)
    return changed


def _check(ranks: dict[int, int | None], live: list[Application]) -> None:
    if set(ranks) != {application.pk for application in live}:
        raise ValidationError(
            _("The group's applications in this call changed meanwhile: reload the page and rank them again.")
        )
    values = list(ranks.values())
    if all(value is None for value in values):
        return  # the order is cleared: no rank at all, which the unique constraint allows (NULLs never clash)
    if None in values or sorted(values) != list(range(1, len(live) + 1)):
        raise ValidationError(_("Give each application a different rank from 1 to %(count)d.") % {"count": len(live)})


def _beijing(moment: datetime) -> str:
    return date_format(timezone.localtime(moment, timezone.get_default_timezone()), "DATETIME_FORMAT")
