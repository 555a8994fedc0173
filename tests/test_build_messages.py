"""Every failure a message: bad input and failing workers end in one clear line and a non-zero
exit, with the previous output untouched; build validates and renders once and reports its warnings."""

import resource
import time

from conftest import edit
from toolkit import pages, pipeline, validate
from toolkit.outputs import site as site_output


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


def _build(run_cli, project, out, *extra):
    return run_cli("--project", project, "build", "--out", out, "--output", "site", *extra)


def test_a_yaml_alias_bomb_is_refused_fast_and_small(project, run_cli, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (project / "country_profiles/arcadia.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = run_cli("--project", project, "check")
    assert time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB
    assert result.exit_code == 1
    assert "country_profiles/arcadia.yaml:1: expands to more than 100000 values, usually through anchors (&) and aliases (*) that repeat each other" in result.stderr


def test_a_duration_written_as_a_word_is_one_line_not_a_traceback(project, run_cli, tmp_path):
    out = tmp_path / "site"
    assert _build(run_cli, project, out).exit_code == 0
    before = _files(out)
    edit(project / "modules/intro/index.md", "duration: 60", "duration: noventa")
    result = _build(run_cli, project, out)
    assert result.exit_code == 1
    assert "modules/intro/index.md:5: 'duration' must be integer, not text" in result.stderr
    assert "Traceback" not in result.stderr and _files(out) == before


def test_a_worker_that_fails_unexpectedly_names_country_and_output(project, run_cli, tmp_path, monkeypatch):
    out = tmp_path / "site"
    assert _build(run_cli, project, out).exit_code == 0
    before = _files(out)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_output, "run_mkdocs", disk_full)
    edit(project / "modules/intro/index.md", "Texto final visible.", "Texto cambiado.")
    result = _build(run_cli, project, out, "--jobs", "1")
    assert result.exit_code == 1
    assert "arcadia: building the site failed: OSError: [Errno 28] No space left on device" in result.stderr
    assert "Traceback" not in result.stderr and _files(out) == before


def test_build_validates_and_renders_once_and_reports_its_warnings(project, run_cli, tmp_path, monkeypatch):
    edit(project / "country_profiles/arcadia.yaml", 'reviewed_by: "Dra. Ficticia Revisora, especialista nacional de pruebas", reviewed_on: "2026-01-15"', "reviewed_by: null, reviewed_on: null")
    calls, resolved = [], []
    original, resolve = validate.validate_project, pages.resolve_edition
    monkeypatch.setattr(pipeline, "validate_project", lambda *a, **k: calls.append(a) or original(*a, **k))
    monkeypatch.setattr(pipeline, "resolve_edition", lambda project, country, *a, **k: resolved.append(country) or resolve(project, country, *a, **k))
    result = _build(run_cli, project, tmp_path / "site")
    assert result.exit_code == 0 and len(calls) == 1 and resolved == ["arcadia"]
    assert "warning: no national legal specialist has reviewed this profile yet" in result.stderr
    assert result.stdout.splitlines()[-1] == "build succeeded, 1 warning"


def test_build_strict_fails_on_warnings_and_writes_nothing(project, run_cli, tmp_path):
    edit(project / "country_profiles/arcadia.yaml", 'reviewed_by: "Dra. Ficticia Revisora, especialista nacional de pruebas", reviewed_on: "2026-01-15"', "reviewed_by: null, reviewed_on: null")
    result = _build(run_cli, project, tmp_path / "site", "--strict")
    assert result.exit_code == 1
    assert "country_profiles/arcadia.yaml:9: warning: no national legal specialist has reviewed this profile yet" in result.stderr
    assert result.stderr.splitlines()[-1] == "0 errors, 1 warning"
    assert not (tmp_path / "site").exists()
