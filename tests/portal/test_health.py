import pytest
from celery import Celery
from django.db import connections
from django.urls import reverse

from portal.celery import app as celery_app
from portal.views import health
from portal.views.health import broker_ok, database_ok

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: connecting there fails at once, as a dead server would.
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def broken_database():
    settings_dict = {**connections["default"].settings_dict, "PORT": "1"}
    wrapper = connections["default"].__class__(settings_dict, alias="broken")
    yield wrapper
    wrapper.close()


@pytest.fixture
def dead_broker_app(monkeypatch):
    app = Celery("dead-broker", broker=DEAD_REDIS, set_as_current=False)
    # The view reads the app it imported; point it at one whose broker does not answer.
    monkeypatch.setattr(health, "celery_app", app)
    return app


def test_healthz_with_database_and_redis_up_is_ok(client):
    response = client.get(reverse("portal:healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert response["Content-Type"] == "application/json"


def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get(reverse("portal:healthz"))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_healthz_with_dead_broker_is_unavailable(client, dead_broker_app):
    response = client.get(reverse("portal:healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "error"}


def test_healthz_refuses_post(client):
    response = client.post(reverse("portal:healthz"))

    assert response.status_code == 405


def test_database_ok_on_the_default_connection():
    assert database_ok(connections["default"]) is True


def test_database_ok_is_false_when_the_server_does_not_answer(broken_database):
    assert database_ok(broken_database) is False


def test_broker_ok_with_redis_up():
    assert celery_app.conf.broker_url.startswith("redis://")
    assert broker_ok(celery_app) is True


def test_broker_ok_is_false_when_redis_does_not_answer():
    assert broker_ok(Celery("dead-broker", broker=DEAD_REDIS, set_as_current=False)) is False


def test_broker_ok_with_the_filesystem_transport(tmp_path):
    app = Celery("filesystem-broker", broker="filesystem://", set_as_current=False)
    app.conf.broker_transport_options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}

    assert broker_ok(app) is True
