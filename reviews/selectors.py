"""Reads of the review stage that join models: the pool's list, a call's panels, a panel's members."""

from django.db.models import Count, Prefetch, QuerySet

from reviews.models import Expert, KeptAway, Panel, PanelMembership


def experts_for_list() -> QuerySet[Expert]:
    """The pool, by name, with what a row shows (account, organisation, fields) in a fixed number of queries."""
    return (
        Expert.objects.select_related("user", "organisation").prefetch_related("expertise").order_by("user__name", "pk")
    )


def expert_for_page(pk: int) -> QuerySet[Expert]:
    kept = KeptAway.objects.select_related("organisation").order_by("organisation__name")
    panels = PanelMembership.objects.select_related("panel__call").order_by("-panel__call__year", "panel__name")
    return Expert.objects.select_related("user", "organisation").prefetch_related(
        "expertise", Prefetch("kept_away_rows", queryset=kept), Prefetch("panel_memberships", queryset=panels)
    )


def panels_to_choose(call) -> QuerySet[Panel]:
    """A call's panels as the pages' filters offer them: by field, then name."""
    return Panel.objects.filter(call=call).order_by("field", "name")


def panels_of_call(call) -> QuerySet[Panel]:
    return Panel.objects.filter(call=call).select_related("chair__user").annotate(member_count=Count("memberships"))


def members_of(panel: Panel) -> QuerySet[PanelMembership]:
    return (
        PanelMembership.objects.filter(panel=panel)
        .select_related("expert__user", "expert__organisation")
        .order_by("expert__user__name", "pk")
    )


def candidates_for(panel: Panel) -> QuerySet[Expert]:
    """Active experts of the panel's field who are not on it yet."""
    return (
        Expert.objects.filter(is_active=True, expertise__field=panel.field)
        .exclude(panel_memberships__panel=panel)
        .select_related("user")
        .order_by("user__name", "pk")
    )
