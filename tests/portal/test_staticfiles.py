"""The npm packages' files that pages load are static files, and only those (portal.staticfiles)."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from portal.staticfiles import NodePackageFinder

ECHARTS = "vendor/echarts/echarts.min.js"


def test_node_package_finder_finds_echarts_at_its_static_path():
    found = finders.find(ECHARTS)

    assert Path(found) == Path(settings.BASE_DIR) / "node_modules" / "echarts" / "dist" / "echarts.min.js"
    assert b"Licensed to the Apache Software Foundation" in Path(found).read_bytes()[:200]


def test_node_package_finder_offers_nothing_else_of_the_package():
    finder = NodePackageFinder()

    listed = [(storage.prefix, path) for path, storage in finder.list([])]

    assert listed == [("vendor/echarts", "echarts.min.js")]
    assert finder.find("vendor/echarts/echarts.js") == []
    assert finder.find("vendor/echarts/echarts.js", find_all=True) == []
    assert finder.find(ECHARTS, find_all=True) == [finders.find(ECHARTS)]


def test_node_package_finder_warns_when_npm_ci_has_not_run(settings, tmp_path):
    settings.NODE_MODULES_DIR = tmp_path

    finder = NodePackageFinder()

    assert [warning.id for warning in finder.check()] == ["portal.W001"]
    assert "make install" in finder.check()[0].hint
    assert finder.find(ECHARTS) == []
    assert list(finder.list([])) == []


def test_statistics_page_script_is_served(client):
    response = client.get(f"/static/{ECHARTS}")

    assert response.status_code == 200
    assert b"echarts" in b"".join(response.streaming_content)[:5000]
