"""Adapting the course to a new country: scaffold, check, fill, build; drafts; report; diff."""

import pytest
import re

import yaml

from conftest import add_country, edit
from toolkit.words import labels

TO_FILL = labels("es")["to_fill"]

FILLED = {  # a value for each kind of key a scaffold leaves to fill
    "typified": True, "year": 2020, "valid_months": 12, "status": "party",
    "reviewed_on": "2026-01-01", "locale": "es_BO", "instrument": "codigo_penal", "violence_law": "ley_violencia",
    "url": "https://example.org/ley", "number": "100", "article": "la", "researched_on": "2026-01-01", "indigenous_women_service": None, "code": "codigo_penal",
}


def fill(value, key=""):
    """What project staff do: replace every value still to fill with the country's fact."""
    if isinstance(value, dict):
        return {k: fill(v, k) for k, v in value.items()}
    if isinstance(value, list):
        # Names of the cast are all different.
        return [f"{fill(v, key)} {i}" if v == TO_FILL and key in ("victims", "aggressors") else fill(v, key) for i, v in enumerate(value)]
    if key == "verified":
        return False  # nobody has checked it against its source yet: a warning, not an error
    return FILLED.get(key, f"Dato de prueba ({key})") if value == TO_FILL else value


def scaffold(run_cli, project, *extra):
    answers = project.parent / "bolivia-answers.yaml"
    answers.write_text("ncii: yes\n", encoding="utf-8")  # the fixture's module cites the NCII article; the rest stay unknown
    result = run_cli("--project", project, "new-country", "bolivia", "--name", "Bolivia", "--answers", answers, *extra)
    assert result.exit_code == 0, result.output
    return project / "country_profiles/bolivia.yaml"


@pytest.mark.slow
def test_scaffold_check_fill_check_build(project, run_cli, tmp_path):
    path = scaffold(run_cli, project)
    text = path.read_text(encoding="utf-8")
    assert "# The country's official name (\"República del Perú\").\nname_full: \"POR COMPLETAR\"" in text
    assert re.search(r"# Article number as the law writes it \(\"154-B\"\)\. Used by: intro\.\n\s+article:", text)

    result = run_cli("--project", project, "check", "--country", "bolivia")
    assert result.exit_code == 1
    # After the warnings (sources without a link yet), the values to fill, by module.
    total = int(re.search(r"^country_profiles/bolivia.yaml: (\d+) item\(s\) still to fill, by module:$", result.stderr, re.M).group(1))
    keys = project / "case_keys/bolivia.yaml"
    assert "intro:\n  caso-1:\n    # asked for at modules/intro/index.md:" in keys.read_text(encoding="utf-8")
    assert total == text.count('"POR COMPLETAR"') - 1 + 2  # the header names the marker once; two case keys to write (a case's, an item's)
    assert "  intro (" in result.stderr
    assert re.search(r"^    country_profiles/bolivia.yaml:\d+: 'offences.ncii.article' is still to fill$", result.stderr, re.M)
    assert re.fullmatch(rf"check failed \(bolivia\): {total} errors, \d+ warnings\n", result.stdout)  # warnings: sources without a link yet

    path.write_text(yaml.safe_dump(fill(yaml.safe_load(text)), allow_unicode=True), encoding="utf-8")
    keys.write_text("intro:\n  caso-1:\n    calificacion: CLAVE-BOLIVIA {{ offences.ncii.adult.charge }}\n  evaluacion:\n    p1: CLAVE-BOLIVIA-P1\n", encoding="utf-8")
    result = run_cli("--project", project, "check", "--country", "bolivia")
    assert result.exit_code == 0, result.stderr
    out, handbooks = tmp_path / "site", tmp_path / "hb"
    assert run_cli("--project", project, "build", "--country", "bolivia", "--out", out, "--handbooks-out", handbooks).exit_code == 0
    assert "Bolivia" in (out / "bolivia/intro/index.html").read_text(encoding="utf-8")
    assert (handbooks / "bolivia/bolivia-jornada.pdf").is_file()


def test_new_country_refuses_to_overwrite_or_an_unsafe_id(project, run_cli):
    result = run_cli("--project", project, "new-country", "arcadia", "--name", "Arcadia")
    assert (result.exit_code, result.stderr) == (1, "Error: country_profiles/arcadia.yaml already exists; edit it, or choose another id\n")
    result = run_cli("--project", project, "new-country", "../etc", "--name", "X")
    assert result.exit_code == 1 and "'../etc' is not a safe id" in result.stderr
    assert not (project.parent / "etc.yaml").exists()


def test_new_country_from_an_existing_profile_resets_every_legal_fact(project, run_cli):
    path = scaffold(run_cli, project, "--from", "arcadia")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["offences"]["ncii"]["article"] == TO_FILL  # the structure is kept, the law is to fill again
    assert re.search(r"# arcadia: 202-A\n\s+article: \"POR COMPLETAR\"", text)  # the source's value, to consult
    verified = []

    def walk(value):
        if isinstance(value, dict):
            verified.extend(v for k, v in value.items() if k == "verified")
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(data)
    assert verified and not any(verified)
    assert (data["id"], data["name"], data["name_full"]) == ("bolivia", "Bolivia", TO_FILL)
    result = run_cli("--project", project, "check", "--country", "bolivia")
    assert re.search(r"^    country_profiles/bolivia.yaml:\d+: 'offences.ncii.article' is still to fill$", result.stderr, re.M)


@pytest.mark.slow
def test_a_draft_build_marks_every_unfilled_value_and_a_normal_build_refuses(project, run_cli, tmp_path):
    path = scaffold(run_cli, project)
    out = tmp_path / "site"
    refused = run_cli("--project", project, "build", "--country", "bolivia", "--out", out, "--output", "site")
    assert refused.exit_code == 1 and "'offences.ncii.article' is still to fill" in refused.stderr
    assert not out.exists()

    assert run_cli("--project", project, "build", "--draft", "--country", "bolivia", "--out", out, "--output", "site").exit_code == 0
    html = (out / "bolivia/intro/index.html").read_text(encoding="utf-8")
    marked = set(re.findall(r'<mark class="por-adaptar" title="([^"]+)">por adaptar: \1</mark>', html))
    assert {"offences.ncii.article", "offences.ncii.penalty", "offences.ncii.instrument"} <= marked
    assert "Edición en borrador" in html
    assert TO_FILL not in html  # every unfilled value shows as a highlight, or as 'por adaptar' in header and footer
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="draft">Borrador</span>' in landing and TO_FILL not in landing
    assert "Edición en borrador" not in (out / "bolivia/programas/jornada.html").read_text(encoding="utf-8")
    del path


def test_report_numbers_match_what_check_finds(project, run_cli):
    scaffold(run_cli, project)
    edit(project / "country_profiles/arcadia.yaml", "verified: true, evidence: Leído en el texto oficial de prueba.}\n  grooming", "verified: false}\n  grooming")
    checked = run_cli("--project", project, "check").stderr
    per_module = dict(re.findall(r"^  (\S.*) \((\d+)\):$", checked, re.M))
    report = run_cli("--project", project, "report")
    assert report.exit_code == 0
    rows = {line.split("  ")[0]: line for line in report.stdout.splitlines()}
    for module, count in per_module.items():
        assert f"missing ({count})" in rows[module], (module, count)
    unverified_ncii = run_cli("--project", project, "check", "--country", "arcadia").stderr.count("'offences.ncii' is not verified")
    assert unverified_ncii == 1 and "unverified (1)" in rows["intro"]
    assert re.search(r"bolivia: jornada: not deliverable: \d+ to fill", report.stdout)
    assert "arcadia: jornada: ready, 1 unverified" in report.stdout


def test_diff_shows_what_the_adaptation_changed(project, run_cli):
    add_country(project, "beocia", ('"202-A"', '"88"'))
    result = run_cli("--project", project, "diff", "arcadia", "beocia")
    assert result.exit_code == 0
    assert result.stdout.startswith("== intro: 12 line(s) differ\n--- arcadia/intro\n+++ beocia/intro\n")
    assert "-En Arcadia, la difusión se castiga en el artículo 202-A del Código Penal de Arcadia con dos a cinco años." in result.stdout
    assert "+En Beocia, la difusión se castiga en el artículo 88 del Código Penal de Beocia con dos a cinco años." in result.stdout
    assert run_cli("--project", project, "diff", "arcadia", "beocia", "--summary").stdout == "== intro: 12 line(s) differ\n"


def test_a_draft_handbook_cover_reads_like_the_draft_site(project, run_cli):
    """Every output reads the edition's one view of the profile: 'por adaptar', never the marker."""
    from toolkit.load import load_project
    from toolkit.outputs.handbook import handbook_html
    from toolkit.pages import resolve_edition

    scaffold(run_cli, project)
    edition = resolve_edition(load_project(project), "bolivia", draft=True).edition
    cover = handbook_html(edition, edition.primary, project).split("<!-- print-part -->")[0]  # the cover is the first part
    assert TO_FILL not in cover
    assert "<dd>por adaptar</dd>" in cover  # the country's official name, still to fill


def test_report_says_a_programme_whose_law_is_all_unverified_is_not_deliverable(project, run_cli):
    path = project / "country_profiles/arcadia.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("verified: true", "verified: false"), encoding="utf-8")
    report = run_cli("--project", project, "report")
    assert report.exit_code == 0
    assert "  arcadia: jornada: not deliverable: all law unverified" in report.stdout.splitlines()
