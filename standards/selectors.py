"""Reads of the standards registry: what each page lists, and which groups a user maintains."""

from django.db.models import F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from guardian.shortcuts import get_objects_for_user

from portal.permissions import is_secretariat
from standards.filters import GroupFilter, StandardFilter
from standards.models import GroupDocument, GroupStandard, SocialGroup
from standards.numbers import InvalidNumberError, normalise_number
from standards.permissions import CHANGE_GROUP, AnyUser


def standard_search(*, params) -> StandardFilter:
    """The public search: the filter (its form for the page) over standards with their issuers joined."""
    queryset = GroupStandard.objects.select_related("issuer__organisation")
    return StandardFilter(params, queryset=queryset)


def standards_with_details() -> QuerySet[GroupStandard]:
    """Standards with everything the detail page shows, fetched in a fixed number of queries."""
    return GroupStandard.objects.select_related("issuer__organisation", "replaced_by").prefetch_related(
        Prefetch("co_issuers", queryset=SocialGroup.objects.select_related("organisation")),
        "adoptions",
        "evaluations",
        Prefetch(
            "replaces",
            queryset=GroupStandard.objects.only("id", "number", "number_as_typed", "title_zh", "replaced_by"),
        ),
    )


def standard_by_number(text: str) -> GroupStandard | None:
    """The registered standard with this number written in any accepted form, or None."""
    try:
        number = normalise_number(text)
    except InvalidNumberError:
        return None
    return GroupStandard.objects.filter(number=number).first()


def demonstration_projects(standard: GroupStandard) -> list:
    """The announced demonstration projects built on this standard (the public register's), newest first."""
    from publicity.models import AnnouncedProject

    projects = AnnouncedProject.objects.filter(standard=standard, announcement__published_at__isnull=False)
    return list(projects.order_by("-year", "pk"))


def _issued_or_co_issued(group) -> Q:
    """The standards a group issued or co-issued: one definition for the list's counts and the group's page.

    `group` is a SocialGroup or an OuterRef to one. Each side is looked up by its own index (the issuer's
    foreign key, the co-issuers' table), never by a join that repeats a standard once per co-issuer.
    """
    co_issued = GroupStandard.co_issuers.through.objects.filter(socialgroup=group).values("groupstandard")
    return Q(issuer=group) | Q(pk__in=co_issued)


def _count(queryset: QuerySet) -> Subquery:
    return Subquery(queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count"))


def group_search(*, params) -> GroupFilter:
    """The public list of groups, each with the number of standards it issued or co-issued.

    A group never co-issues its own standard (the registry drops the issuer from the co-issuers), so the
    two counts add up, each from an index and only for the page of groups shown.
    """
    issued = GroupStandard.objects.filter(issuer=OuterRef("pk")).values("issuer")
    co_issued = GroupStandard.co_issuers.through.objects.filter(socialgroup=OuterRef("pk")).values("socialgroup")
    queryset = SocialGroup.objects.select_related("organisation").annotate(
        standard_count=Coalesce(_count(issued), 0) + Coalesce(_count(co_issued), 0)
    )
    return GroupFilter(params, queryset=queryset.order_by("organisation__name"))


def groups_with_profile() -> QuerySet[SocialGroup]:
    return SocialGroup.objects.select_related("organisation")


def group_standards(group: SocialGroup) -> QuerySet[GroupStandard]:
    """Standards the group issued or co-issued, newest first."""
    return GroupStandard.objects.filter(_issued_or_co_issued(group)).select_related("issuer__organisation")


def published_documents(group: SocialGroup) -> dict[str, list[GroupDocument]]:
    """Each kind of document (procedure, patent policy) mapped to its versions, the current one first."""
    documents: dict[str, list[GroupDocument]] = {kind: [] for kind in GroupDocument.Kind.values}
    for document in group.documents.order_by("kind", "-version_date", "-id"):
        documents[document.kind].append(document)
    return documents


def editable_groups(user: AnyUser) -> QuerySet[SocialGroup]:
    """The groups whose record and standards the user maintains: all for the secretariat, else their own."""
    if not user.is_authenticated:
        return SocialGroup.objects.none()
    queryset = SocialGroup.objects.select_related("organisation").order_by("organisation__name")
    if is_secretariat(user):
        return queryset
    return get_objects_for_user(user, CHANGE_GROUP, klass=queryset, accept_global_perms=False)
