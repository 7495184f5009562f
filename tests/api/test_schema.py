"""The OpenAPI schema: valid as drf-spectacular checks it, and kept by the API under property-based testing.

Schemathesis reads the schema from the live server and, for every operation in it, sends requests hypothesis
draws from the parameters' descriptions (valid ones, then invalid ones): no answer may be a server error, a
status the schema does not give, or a body or header that breaks it. The rate limit is raised for the run
(tests/api/test_throttling.py keeps the 429 real); about 25 examples per operation and mode bound the time.
"""

import time
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.data import public_world

OPERATIONS = {
    f"GET /api/v1/{resource}/{detail}"
    for resource in ("projects", "announcements", "notices", "standards", "groups")
    for detail in ("", "{id}/")
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = 25


def test_the_schema_is_valid_without_a_warning(tmp_path):
    path = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))

    schema = yaml.safe_load(Path(path).read_text())
    operations = {f"{method.upper()} {url}" for url, item in schema["paths"].items() for method in item}
    assert operations == OPERATIONS


def test_the_schema_page_serves_it_in_the_requests_language(api):
    chinese = yaml.safe_load(api.get("/api/v1/schema/").content)
    english = yaml.safe_load(api.get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="en").content)

    def year(schema):
        [parameter] = [p for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"] if p["name"] == "year"]
        return parameter["description"]

    assert (year(chinese), year(english)) == ("年份", "Year")


def _run(operation, mode: GenerationMode, examples: int = EXAMPLES, **fixed) -> None:
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        case.call_and_validate(checks=CHECKS, timeout=10)

    check()


@pytest.mark.django_db(transaction=True)
def test_every_operation_keeps_to_the_schema_under_property_based_testing(live_server, settings):
    settings.API_ANON_RATE = "1000000/min"
    world = public_world()
    # Drawn ids name no row (404, as the schema says); each detail is also read for objects the world has.
    existing = {
        "/api/v1/projects/{id}/": world.announcement.projects.first().pk,
        "/api/v1/announcements/{id}/": world.announcement.pk,
        "/api/v1/notices/{id}/": world.open_notice.pk,
        "/api/v1/standards/{id}/": world.standard.pk,
        "/api/v1/groups/{id}/": world.group.pk,
    }
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    started = time.monotonic()

    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode)
        if operation.path in existing:
            _run(operation, GenerationMode.POSITIVE, 10, path_parameters={"id": existing[operation.path]})
        tried.append(f"{operation.method.upper()} {operation.path}")

    assert set(tried) == OPERATIONS
    assert time.monotonic() - started < 90
