"""Empty rows for a section's table (indicators, enterprises), fetched by the edit page's script with htmx
(static/js/rows.js), so that a table grows in the page instead of two rows at a time after each save."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from portal.views.helpers import REFUSED, fetch, key_or_none
from projects import permissions
from projects.forms.applications import MAX_ROWS, ROW_FORMSETS, blank_rows
from projects.models import Application
from projects.views.applications import CONFLICT, not_editable_message

ROW_PARTIAL = "projects/application_edit.html#formset_rows"
REFUSAL_PARTIAL = "projects/application_edit.html#row_refusal"


@require_safe
@login_required
@vary_on_headers("HX-Request")
def application_row(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """`count` (default one) empty rows from the index the page's TOTAL_FORMS gives, up to MAX_ROWS.

    Refused in the edit page's order: 404 for who may not see the application, 403 for who may never edit it,
    409 for its group once it is no longer editable; then 400 for a request the page's script did not make.
    """
    if section not in ROW_FORMSETS:
        raise Http404
    application = fetch(
        Application.objects.select_related("call", "group", "standard"),
        pk=pk,
        user=request.user,
        can_see=permissions.can_view,
        can_act=permissions.may_edit,
    )
    if not permissions.can_edit(request.user, application):
        return _refusal(request, application, not_editable_message(application), status=CONFLICT)
    if not request.htmx:
        # Opened as a page (a bookmark, a script that failed): point to where rows are added.
        back = reverse("projects:application_edit", kwargs={"pk": application.pk, "section": section})
        message = _("Rows are added on the section's page, with its “Add a row” button.")
        return _refusal(request, application, message, status=REFUSED, back=back)
    prefix = ROW_FORMSETS[section][0]
    start = key_or_none(request.GET.get(f"{prefix}-TOTAL_FORMS"))
    count = key_or_none(request.GET.get("count", "1"))
    if start is None or not count:
        return _refusal(request, application, _("No row could be added: reload the page and try again."))
    if start >= MAX_ROWS:
        return _refusal(request, application, _("A table holds at most %(max)s rows.") % {"max": MAX_ROWS})
    context = {"rows": blank_rows(section, start=start, count=count), "start": start}
    return render(request, ROW_PARTIAL, context)


def _refusal(
    request: HttpRequest, application: Application, message: str, *, status: int = REFUSED, back: str = ""
) -> HttpResponse:
    """The refusal as a fragment for the page's script, or as a page of its own for a person who opened the URL."""
    if request.htmx:
        return render(request, REFUSAL_PARTIAL, {"message": message}, status=status)
    context = {"application": application, "message": message, "back": back or application.get_absolute_url()}
    return render(request, "projects/application_row_refused.html", context, status=status)
