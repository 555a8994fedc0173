"""The command line: exit codes, messages a person can act on, and safe builds."""

import json

from conftest import add_country, edit, make_project


def test_help_is_everywhere(run_cli):
    for command in ([], ["build"], ["check"], ["serve"]):
        result = run_cli(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_check_passes_on_a_clean_course(project, run_cli):
    result = run_cli("--project", project, "check")
    assert result.exit_code == 0
    assert result.stdout == "check passed (arcadia): 0 errors, 0 warnings\n"


def test_check_reports_a_missing_placeholder_with_file_line_and_key(project, run_cli):
    edit(project / "modules/intro/index.md", "Texto final visible.", "Línea: {{ hotlines_main.number }}")
    result = run_cli("--project", project, "check")
    assert result.exit_code == 1
    assert result.stderr == "modules/intro/index.md:27: 'hotlines_main.number' is not defined in country_profiles/arcadia.yaml\n"
    assert result.stdout == "check failed (arcadia): 1 error, 0 warnings\n"


def test_check_strict_turns_warnings_into_errors(project, run_cli):
    edit(project / "country_profiles/arcadia.yaml", "url: \"https://example.org/linea\"", "url: null")
    assert run_cli("--project", project, "check").exit_code == 0
    result = run_cli("--project", project, "check", "--strict")
    assert result.exit_code == 1
    assert "country_profiles/arcadia.yaml:42: warning: 'hotlines[0].source' has no link to the official text" in result.stderr
    assert result.stdout == "check failed (arcadia): 1 error, 0 warnings\n"


def test_unknown_country_is_a_clear_error(project, run_cli):
    result = run_cli("--project", project, "check", "--country", "arcadi")
    assert result.exit_code == 1
    assert result.stderr == "Error: no profile country_profiles/arcadi.yaml; did you mean 'arcadia'? (profiles: arcadia)\n"


def test_build_writes_a_site_per_country_and_a_landing_page(project, run_cli, tmp_path):
    out = tmp_path / "out"
    result = run_cli("--project", project, "build", "--out", out, "--handbooks-out", tmp_path / "hb")
    assert result.exit_code == 0, result.output
    assert (out / "arcadia" / "index.html").is_file()
    assert (out / "arcadia" / "intro" / "index.html").is_file()
    assert json.loads((out / "arcadia" / "publication.json").read_text())["name"] == "Arcadia"
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="arcadia/index.html" lang="es">Arcadia</a>' in landing
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.staging")] == []


def test_a_failed_build_leaves_the_previous_site_untouched(project, run_cli, tmp_path):
    out = tmp_path / "out"
    assert run_cli("--project", project, "build", "--out", out, "--handbooks-out", tmp_path / "hb").exit_code == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "course" not in p.parts}
    assert (tmp_path / "hb/arcadia/arcadia-jornada.pdf").is_file()
    edit(project / "modules/intro/index.md", "Texto final visible.", "{{ offences.ncii.artcle }}")
    result = run_cli("--project", project, "build", "--out", out, "--handbooks-out", tmp_path / "hb")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "modules/intro/index.md:27: 'offences.ncii.artcle' is not defined in country_profiles/arcadia.yaml",
        "1 error, 0 warnings",
    ]
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "course" not in p.parts} == before


def test_building_one_country_keeps_the_others(tmp_path, run_cli):
    project = make_project(tmp_path / "course")
    add_country(project, "beocia")
    out = tmp_path / "out"
    assert run_cli("--project", project, "build", "--out", out, "--handbooks-out", tmp_path / "hb").exit_code == 0
    assert run_cli("--project", project, "build", "--out", out, "--handbooks-out", tmp_path / "hb", "--country", "beocia").exit_code == 0
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert "arcadia/index.html" in landing and "beocia/index.html" in landing
    assert "Beocia" in (out / "beocia/intro/index.html").read_text(encoding="utf-8")
