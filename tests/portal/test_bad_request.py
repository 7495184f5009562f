"""A request the portal cannot read gets the portal's own 400 page (templates/400.html), never Django's bare one."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def outline(response) -> tuple[int, list[str], list[str], list[str]]:
    """Status, templates, the h1 and the links of the page's main part."""
    page = re.sub(r"\s+", " ", response.content.decode())
    main = page[page.index('<main id="main"') :]
    return (
        response.status_code,
        [template.name for template in response.templates][:2],
        re.findall(r"<h1>(.*?)</h1>", main),
        re.findall(r'<a class="btn" href="([^"]+)"', main),
    )


def too_many_fields(client):
    return client.post(reverse("login"), {f"field{n}": "x" for n in range(1001)}, **ENGLISH)


def unreadable_upload(client):
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{"名" * 3000}.pdf"\r\n\r\n%PDF-\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    return client.generic(
        "POST", reverse("login"), body, content_type=f"multipart/form-data; boundary={boundary}", **ENGLISH
    )


def unknown_host(client):
    return client.get(reverse("portal:home"), HTTP_HOST="portal.example.invalid", **ENGLISH)


@pytest.mark.parametrize("send", [too_many_fields, unreadable_upload, unknown_host])
def test_bad_request_is_answered_with_the_portals_page_and_a_way_home(client, send):
    response = send(client)

    assert outline(response) == (400, ["400.html", "base.html"], ["The request could not be read"], ["/"])
    assert "If you were uploading a file, give it a shorter name and try again" in response.content.decode()


def test_bad_request_page_offers_a_logged_in_user_the_dashboard(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="wang", password="x"))

    response = too_many_fields(client)

    assert outline(response)[3] == ["/", reverse("portal:dashboard")]
