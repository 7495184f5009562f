"""Cross-origin reads of the API only: a page elsewhere may GET the data, never send anything, and never with
the portal's cookies; the portal's own pages give no CORS headers at all."""

from django.urls import reverse

ORIGIN = "https://research.example.org"


def test_a_cross_origin_get_is_allowed_with_the_validators_exposed(api):
    response = api.get(reverse("api:group-list"), HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Expose-Headers"].split(", ")) == {"ETag", "Last-Modified", "Retry-After"}
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_a_preflight_allows_reading_methods_only(api):
    response = api.options(reverse("api:project-list"), HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")

    assert response.status_code == 200
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_cross_origin_post_is_not_offered_and_refused(api):
    preflight = api.options(reverse("api:project-list"), HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    posted = api.post(reverse("api:project-list"), HTTP_ORIGIN=ORIGIN)

    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert posted.status_code == 405


def test_the_portals_pages_give_no_cors_headers(api):
    response = api.get(reverse("publicity:project_list"), HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")
