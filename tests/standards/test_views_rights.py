"""Who may open the registry's maintenance pages: the group's own staff and the secretariat, nobody else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


EDIT_PAGES = {
    "standards:group_edit": lambda s: [s.issuer_id],
    "standards:group_document_create": lambda s: [s.issuer_id],
    "standards:standard_edit": lambda s: [s.pk],
    "standards:adoption_create": lambda s: [s.pk],
    "standards:evaluation_create": lambda s: [s.pk],
}
EXPECTED = {"staff": 200, "other_staff": 403, "recommender": 403, "expert": 403, "secretariat": 200}


@pytest.mark.parametrize("name", EDIT_PAGES)
@pytest.mark.parametrize("actor", list(EXPECTED))
def test_edit_pages_open_for_the_groups_staff_and_the_secretariat_only(client, users, standard, name, actor):
    client.force_login(users[actor])

    response = client.get(reverse(name, args=EDIT_PAGES[name](standard)))

    assert response.status_code == EXPECTED[actor]
    if EXPECTED[actor] == 200:
        assert b'method="post"' in response.content


@pytest.mark.parametrize("name", [*EDIT_PAGES, "standards:standard_create"])
def test_edit_pages_send_anonymous_users_to_log_in(client, standard, name):
    args = EDIT_PAGES[name](standard) if name in EDIT_PAGES else []
    url = reverse(name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_edit_page_of_an_unknown_standard_is_404(client, secretariat):
    client.force_login(secretariat)

    assert client.get(reverse("standards:standard_edit", args=[999_999])).status_code == 404


@pytest.mark.parametrize(("actor", "status"), [("staff", 200), ("secretariat", 200), ("recommender", 403)])
def test_standard_create_needs_a_group_to_maintain(client, users, actor, status):
    client.force_login(users[actor])

    assert client.get(reverse("standards:standard_create")).status_code == status


def test_standard_create_offers_staff_only_their_own_group(client, group, group_staff, cntac):
    client.force_login(group_staff)

    response = client.get(reverse("standards:standard_create"))

    assert list(response.context["form"].fields["issuer"].queryset) == [group]
