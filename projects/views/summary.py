"""A social group's summary table (汇总表) of its applications in a call: ranking them, and printing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects import rules
from projects.forms.summary import GroupRankForm
from projects.models import Call
from projects.selectors import summary as selectors
from projects.services.ranking import set_group_ranks

REFUSED = 400


def _summary_context(request: HttpRequest, pk: int) -> dict:
    """The call, the social group whose table is shown (the one named by `?group=`, else the user's first)
    and its rows; 404 for an unknown call or a group the user does not act for, 403 for a user of no group."""
    call = get_object_or_404(Call.objects.published(), pk=pk)
    groups = selectors.summary_groups(request.user)
    if not groups:
        raise PermissionDenied
    wanted = request.GET.get("group")
    group = next((group for group in groups if str(group.pk) == wanted), None) if wanted else groups[0]
    if group is None:
        raise Http404
    return {"call": call, "group": group, "groups": groups, "rows": selectors.summary_rows(call, group)}


@login_required
@require_http_methods(["GET", "POST"])
def group_summary(request: HttpRequest, pk: int) -> HttpResponse:
    context = _summary_context(request, pk)
    call, group, rows = context["call"], context["group"], context["rows"]
    can_rank = bool(rows) and rules.is_open_for(call, group, timezone.now())
    form = GroupRankForm(
        request.POST if request.method == "POST" else None,
        applications=[row.application for row in rows],
        initial_ranks={row.application.pk: row.rank for row in rows},
    )
    status = 200
    if request.method == "POST":
        status = REFUSED
        if form.is_valid():
            try:
                set_group_ranks(call=call, group=group, ranks=form.ranks(), by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _saved(form))
                return redirect(f"{reverse('projects:group_summary', kwargs={'pk': call.pk})}?group={group.pk}")
    context.update(
        form=form,
        ranked_rows=list(zip(rows, form.rank_fields(), strict=True)),
        can_rank=can_rank,
        is_ranked=any(row.application.group_rank is not None for row in rows),
    )
    return render(request, "projects/group_summary.html", context, status=status)


def _saved(form: GroupRankForm) -> str:
    if form.clears():
        return _("The order is cleared: the summary table lists the applications in the order they were started.")
    return _("The order of the summary table is saved.")


@login_required
def group_summary_print(request: HttpRequest, pk: int) -> HttpResponse:
    context = _summary_context(request, pk)
    context["printed_at"] = timezone.localtime()
    return render(request, "projects/group_summary_print.html", context)
