"""The registry's words and numbers as people read them (issue 10): a group's standards counted the same on the
list and on its page, and a standard's number as its group published it, the normal form for look-up only."""

import pytest
from django.urls import reverse

from standards.selectors import group_search, group_standards, standard_by_number
from tests.factories import GroupProfileFactory, GroupStandardFactory

pytestmark = pytest.mark.django_db


def _content(response) -> str:
    return " ".join(response.content.decode().split())


# --- counts -------------------------------------------------------------------------------------------------
def test_group_list_counts_issued_and_co_issued_standards_as_the_groups_page_lists_them(client, cntac, group):
    GroupStandardFactory.create_batch(2, issuer=cntac)
    GroupStandardFactory(issuer=group, co_issuers=[cntac])  # co-issued by CNTAC
    GroupStandardFactory(issuer=cntac, co_issuers=[group, GroupProfileFactory()])  # issued, two co-issuers

    listed = client.get(reverse("standards:group_list"))
    page = client.get(cntac.get_absolute_url())

    counts = {row.pk: row.standard_count for row in listed.context["page_obj"]}
    assert (counts[cntac.pk], page.context["page_obj"].paginator.count, len(page.context["page_obj"])) == (4, 4, 4)
    assert counts[group.pk] == 2


def test_group_search_and_group_standards_agree_for_every_group(cntac, group):
    other = GroupProfileFactory()
    GroupStandardFactory(issuer=cntac, co_issuers=[group, other])
    GroupStandardFactory(issuer=group, co_issuers=[cntac])
    GroupStandardFactory(issuer=other)

    counts = {row.pk: row.standard_count for row in group_search(params={}).qs}

    assert counts == {profile.pk: group_standards(profile).count() for profile in (cntac, group, other)}
    assert counts == {cntac.pk: 2, group.pk: 2, other.pk: 2}


@pytest.mark.parametrize("rows", [1, 20])
def test_group_list_with_co_issued_standards_query_count_does_not_grow(client, django_assert_num_queries, rows):
    partner = GroupProfileFactory()
    for profile in GroupProfileFactory.create_batch(rows):
        GroupStandardFactory(issuer=profile, co_issuers=[partner])

    with django_assert_num_queries(2):  # the count, the page of groups with their standard counts
        response = client.get(reverse("standards:group_list"))

    counts = [row.standard_count for row in response.context["page_obj"] if row.pk == partner.pk]
    assert counts == [rows]


# --- numbers ------------------------------------------------------------------------------------------------
@pytest.fixture
def padded(cntac):
    """A standard its group numbered with zero padding and a hyphen, as it was printed."""
    return GroupStandardFactory(issuer=cntac, number_as_typed="T/CNTAC 0008-2018", title_zh="针织运动服装")


def test_display_number_is_the_number_as_the_group_published_it(padded):
    assert (padded.display_number, padded.number, str(padded)) == (
        "T/CNTAC 0008-2018",
        "T/CNTAC 8—2018",
        "T/CNTAC 0008-2018 针织运动服装",
    )


def test_normal_form_still_finds_the_standard(client, padded):
    searched = client.get(reverse("standards:standard_list"), {"q": "T/CNTAC 8—2018"})

    assert (standard_by_number("t/cntac 8-2018"), list(searched.context["page_obj"])) == (padded, [padded])


@pytest.mark.parametrize(
    "page",
    ["standards:standard_list", "standards:standard_detail", "standards:group_detail"],
)
def test_registry_pages_show_the_published_number_and_never_the_normal_form(client, padded, page):
    kwargs = {"standard_detail": {"pk": padded.pk}, "group_detail": {"pk": padded.issuer_id}}.get(page.split(":")[1])

    content = _content(client.get(reverse(page, kwargs=kwargs)))

    assert ("T/CNTAC 0008-2018" in content, "T/CNTAC 8—2018" in content) == (True, False)


def test_standard_detail_names_the_number_without_jargon(client, padded):
    content = _content(client.get(reverse("standards:standard_detail", kwargs={"pk": padded.pk})))

    assert ("<dt>Number</dt><dd>T/CNTAC 0008-2018</dd>" in content, "normalised" in content) == (True, False)
