"""scripts/preflight.py: every system package the suite needs is named, with the command that installs it."""

import importlib.util
import re
import shutil
import sys

from django.conf import settings

SCRIPTS = settings.BASE_DIR / "scripts"


def _load_preflight():
    # scripts/ is not a package: load the file as `make test` runs it.
    spec = importlib.util.spec_from_file_location("preflight", SCRIPTS / "preflight.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


preflight = _load_preflight()
SUDO = preflight.SUDO


def _install_line(problem) -> str:
    return str(problem).splitlines()[1].strip()


def test_check_chromium_at_a_missing_path_names_the_packages_and_the_command(tmp_path):
    missing = tmp_path / "chromium"

    problem = preflight.check_chromium(str(missing))

    assert problem == preflight.Problem(
        f"Chromium is missing at {missing}: the end-to-end tests (tests/e2e/) drive it through Playwright.",
        packages=("chromium", "fonts-liberation", "libgl1-mesa-dri"),
        hints=("or set PLAYWRIGHT_CHROMIUM to the path of a Chromium or Chrome you have.",),
    )
    assert _install_line(problem) == f"install it:  {SUDO}apt-get install -y chromium fonts-liberation libgl1-mesa-dri"


def test_check_chromium_at_a_file_that_does_not_run_is_a_problem(tmp_path):
    not_executable = tmp_path / "chromium"
    not_executable.write_text("")

    assert preflight.check_chromium(str(not_executable)).packages == preflight.CHROMIUM


def test_check_cjk_font_without_fc_list_and_without_the_font_file_names_fonts_noto_cjk(tmp_path):
    missing = tmp_path / "NotoSansCJK-Regular.ttc"

    problem = preflight.check_cjk_font(None, font_files=[missing])

    assert problem == preflight.Problem(
        f"The Simplified Chinese font Noto Sans CJK SC is missing (no {missing}): the 申报书 PDF embeds it "
        "(tests/projects/test_application_pdf.py) and the end-to-end screenshots need it for Chinese text.",
        packages=("fonts-noto-cjk",),
    )
    assert _install_line(problem) == f"install it:  {SUDO}apt-get install -y fonts-noto-cjk"


def test_check_cjk_font_without_fc_list_finds_the_font_file(tmp_path):
    font = tmp_path / "NotoSansCJK-Regular.ttc"
    font.write_bytes(b"ttcf")

    assert preflight.check_cjk_font(None, font_files=[font]) is None


def test_check_cjk_font_when_fontconfig_knows_no_chinese_font_names_fonts_noto_cjk(tmp_path, monkeypatch):
    # The real fc-list, with a configuration that holds no font directory at all.
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<fontconfig><cachedir>' + str(tmp_path) + "</cachedir></fontconfig>\n")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))

    problem = preflight.check_cjk_font(shutil.which("fc-list"))

    assert (problem.summary.split(": ")[0], problem.packages) == (
        "The Simplified Chinese font Noto Sans CJK SC is missing (fc-list :lang=zh does not list it)",
        ("fonts-noto-cjk",),
    )


def test_check_cjk_font_on_this_machine_finds_the_simplified_chinese_face():
    assert preflight.check_cjk_font(shutil.which("fc-list")) is None


def test_check_pango_with_a_library_that_cannot_be_found_names_the_pango_packages():
    problem = preflight.check_pango(["pango-1.0", "pango-of-no-such-name-1.0"])

    assert problem == preflight.Problem(
        "Pango is missing (cannot open libpango-of-no-such-name-1.0): WeasyPrint lays out the 申报书 PDF with it "
        "(tests/projects/test_application_pdf.py).",
        packages=("libpango-1.0-0", "libpangoft2-1.0-0"),
    )
    assert _install_line(problem) == f"install it:  {SUDO}apt-get install -y libpango-1.0-0 libpangoft2-1.0-0"


def test_check_pango_on_this_machine_opens_every_library_weasyprint_needs():
    assert preflight.check_pango() is None


def test_check_gettext_with_a_path_without_msgfmt_names_gettext(tmp_path):
    problem = preflight.check_gettext(str(tmp_path))

    assert (problem.packages, _install_line(problem), problem.hints) == (
        ("gettext",),
        f"install it:  {SUDO}apt-get install -y gettext",
        ("then run `make install` again: it compiles the catalogue.",),
    )


def test_check_node_with_a_path_without_node_names_nodejs_and_npm(tmp_path):
    problem = preflight.check_node(str(tmp_path))

    assert problem == preflight.Problem(
        "Node.js is missing (no node or npm on PATH): npm installs axe-core, with which the accessibility tests "
        "(tests/e2e/test_accessibility.py) check every page.",
        packages=("nodejs", "npm"),
        hints=("then run `make install` again: it runs `npm ci`.",),
    )
    assert _install_line(problem) == f"install it:  {SUDO}apt-get install -y nodejs npm"


def test_check_node_with_node_but_without_npm_names_npm(tmp_path):
    node = tmp_path / "node"
    node.write_text("#!/bin/sh\n")
    node.chmod(0o755)

    problem = preflight.check_node(str(tmp_path))

    assert (problem.summary.split(": ")[0], problem.packages) == ("Node.js is missing (no npm on PATH)", preflight.NODE)


def test_check_node_on_this_machine_finds_node_and_npm():
    assert preflight.check_node() is None


def test_check_wrk_with_a_path_without_wrk_names_wrk(tmp_path):
    problem = preflight.check_wrk(str(tmp_path))

    assert problem == preflight.Problem(
        "wrk is missing (not on PATH): `make bench` loads the pages with it, and its smoke test "
        "(tests/test_bench_smoke.py) runs in `make test`.",
        packages=("wrk",),
    )
    assert _install_line(problem) == f"install it:  {SUDO}apt-get install -y wrk"


def test_check_wrk_on_this_machine_finds_wrk():
    assert preflight.check_wrk() is None


def test_check_redis_not_answering_says_how_to_start_it():
    problem = preflight.check_redis("redis://127.0.0.1:1/0")

    assert problem.summary.startswith("Redis is not answering at REDIS_URL=redis://127.0.0.1:1/0: ")
    assert problem.hints[0] == (
        f'start it:  {SUDO}redis-server --daemonize yes --bind 127.0.0.1 --port 1 --save "" --appendonly no'
    )


def test_check_postgresql_not_answering_names_where_it_looked():
    problem = preflight.check_postgresql("postgres://postgres@127.0.0.1:1/portal")

    assert problem.summary.startswith(
        "PostgreSQL is not answering at 127.0.0.1:1 (DATABASE_URL=postgres://postgres@127.0.0.1:1/portal): "
    )


def test_find_problems_on_a_bare_machine_names_every_package(tmp_path, monkeypatch):
    monkeypatch.setattr(preflight, "CJK_FONT_FILES", (tmp_path / "NotoSansCJK-Regular.ttc",))
    environment = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/portal",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "PLAYWRIGHT_CHROMIUM": str(tmp_path / "chromium"),
        "PATH": str(tmp_path),  # no fc-list, no msgfmt
    }

    problems = preflight.find_problems(environment)

    assert [problem.summary.split(" is ")[0] for problem in problems] == [
        "PostgreSQL",
        "Redis",
        "Chromium",
        "The Simplified Chinese font Noto Sans CJK SC",
        "gettext (msgfmt)",
        "Node.js",
        "wrk",
    ]
    assert [problem.packages for problem in problems[2:]] == [
        preflight.CHROMIUM,
        preflight.CJK_FONT,
        preflight.GETTEXT,
        preflight.NODE,
        preflight.WRK,
    ]


def test_report_lists_each_problem_and_one_line_installing_every_package():
    problems = [
        preflight.Problem("Redis is not answering.", hints=("start it:  redis-server",)),
        preflight.Problem("Chromium is missing.", packages=("chromium", "fonts-liberation")),
        preflight.Problem("gettext is missing.", packages=("gettext",)),
    ]

    assert preflight.report(problems) == (
        "make test cannot run yet. Missing:\n"
        "  - Redis is not answering.\n"
        "    start it:  redis-server\n"
        "  - Chromium is missing.\n"
        f"    install it:  {SUDO}apt-get install -y chromium fonts-liberation\n"
        "  - gettext is missing.\n"
        f"    install it:  {SUDO}apt-get install -y gettext\n"
        "All the packages at once, on Debian:\n"
        f"    {SUDO}apt-get update && {SUDO}apt-get install -y chromium fonts-liberation gettext\n"
    )


def _every_package() -> set[str]:
    return {package for packages in preflight.PACKAGES for package in packages}


def test_ci_installs_exactly_the_packages_preflight_asks_for():
    script = (settings.BASE_DIR / ".ci" / "run").read_text(encoding="utf-8")

    installed = {package for group in re.findall(r"missing\+=\(([^)]*)\)", script) for package in group.split()}

    # make runs CI itself (preflight runs under make, so it never lacks it).
    assert installed == _every_package() | {"make"}


def test_readme_install_line_names_exactly_the_packages_preflight_asks_for():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## System packages", 1)[1].split("\n## ", 1)[0]

    (line,) = re.findall(r"apt-get install -y ([^\n`]+)", section)

    assert set(line.split()) == _every_package()


def test_main_on_this_machine_finds_nothing_missing(capsys):
    assert (preflight.main(), capsys.readouterr().err) == (0, "")
