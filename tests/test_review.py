"""The national reviewer's worksheet, both ways: 'review export' writes it, a reviewer fills it in,
'review import' applies it to the profile, keeping everything else as written. Fast: no site build."""

from __future__ import annotations

import datetime
import difflib
import re

import pytest
import yaml
from openpyxl import load_workbook

from conftest import edit
from toolkit.review import COLUMNS, CONTROL_SHEET, REVIEWER_COLUMNS
from toolkit.words import labels

RW = labels("es")["review_words"]
HEADERS = RW["columns"]
CORRECT, TO_CORRECT = RW["decisions"]["correct"], RW["decisions"]["to_correct"]
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
LETTER = {column: chr(ord("A") + i) for i, column in enumerate(COLUMNS)}  # fewer than 26 columns
PROFILE = "country_profiles/arcadia.yaml"
# Facts the fixture marks verified; the tests make them unverified first, as a real profile's are.
UNVERIFIED = {
    "offences.ncii": ('url: "https://example.org/cp"}, verified: true, evidence: Leído en el texto oficial de prueba.}\n  grooming',
                      'url: "https://example.org/cp"}, verified: false, evidence: Leído en el texto oficial de prueba.}\n  grooming'),
    "offences.grooming": ('fallback_articles: [art. 150], source: {title: CP, url: "https://example.org/cp"}, verified: true',
                          'fallback_articles: [art. 150], source: {title: CP, url: "https://example.org/cp"}, verified: false'),
    "hotlines[0]": ('url: "https://example.org/linea"}, verified: true', 'url: "https://example.org/linea"}, verified: false'),
    "treaties.budapest_second_protocol": ('year: null, source: {title: Tratado, url: "https://example.org/t"}, verified: true',
                                          'year: null, source: {title: Tratado, url: "https://example.org/t"}, verified: false'),
}


@pytest.fixture
def reviewed(project):
    """The fixture course with four unverified facts and a comment beside one of them."""
    path = project / PROFILE
    for old, new in UNVERIFIED.values():
        edit(path, old, new)
    edit(path, "  grooming: {", "  # El tipo de captación se revisa con la fiscalía.\n  grooming: {")
    return project


def export(run_cli, project, tmp_path):
    out = tmp_path / "revision.xlsx"
    result = run_cli("--project", project, "review", "export", "--country", "arcadia", "--out", out)
    assert result.exit_code == 0, result.output
    return out


def rows_by_key(sheet) -> dict[str, int]:
    return {sheet[f"A{row}"].value: row for row in range(2, sheet.max_row + 1) if sheet[f"A{row}"].value}


def fill(path, answers: dict[str, dict[str, object]]):
    """What a reviewer does: write in the yellow columns of some rows, then save."""
    workbook = load_workbook(path)
    sheet = workbook[RW["sheets"]["review"]]
    rows = rows_by_key(sheet)
    for key, answer in answers.items():
        for column, value in answer.items():
            sheet[f"{LETTER[column]}{rows[key]}"] = value
    workbook.save(path)
    return rows


def confirm(source="Código Penal de Arcadia, texto oficial", link="https://example.org/cp-oficial", **more):
    return {"decision": CORRECT, "official_source": source, "link": link, "reviewer": "Dra. Ana Revisora, fiscal superior",
            "date": datetime.datetime.combine(YESTERDAY, datetime.time()), **more}


def not_verified_warnings(run_cli, project) -> set[str]:
    result = run_cli("--project", project, "check", "--country", "arcadia")
    assert result.exit_code == 0, result.stderr
    return set(re.findall(r"'([^']+)' is not verified against its source", result.stderr))


def test_the_sheet_shows_each_fact_as_participants_read_it_with_columns_for_the_reviewer(reviewed, run_cli, tmp_path):
    path = export(run_cli, reviewed, tmp_path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [RW["sheets"]["instructions"], RW["sheets"]["review"], RW["sheets"]["sentences"], CONTROL_SHEET]
    assert workbook[CONTROL_SHEET].sheet_state == "veryHidden"
    assert RW["instructions"][0]["heading"] in [c.value for c in workbook[RW["sheets"]["instructions"]]["A"]]
    sheet = workbook[RW["sheets"]["review"]]
    assert [cell.value for cell in sheet[1]] == [HEADERS[c] for c in COLUMNS]
    rows = rows_by_key(sheet)
    assert len(rows) == 2 + 9 + 1 + 1 + 4 + 1 + 6  # instruments, offences, other victims, measures, procedure, hotline, treaties
    assert list(rows)[:3] == ["instruments.codigo_penal", "instruments.ley_violencia", "offences.harassment"]
    assert "offences.sexual_blackmail.other_victims" in rows and "judicial_school" not in rows  # the fixture's school has no 'verified'
    row = rows["offences.ncii"]
    value = lambda column: sheet[f"{LETTER[column]}{row}"].value  # noqa: E731
    assert value("label") == "Tipo penal: Difusión no consentida de imágenes íntimas"
    assert "Artículo: 202-A" in value("claim") and "Pena: dos a cinco años" in value("claim") and "Norma: Código Penal de Arcadia" in value("claim")
    assert "la difusión se castiga en el artículo 202-A del Código Penal de Arcadia con dos a cinco años" in value("landings")
    assert value("source") == "CP art. 202-A\nhttps://example.org/cp"
    assert (value("state"), value("evidence")) == (RW["states"]["unverified"], "Leído en el texto oficial de prueba.")
    # Only the reviewer's columns can be written; the fingerprint is hidden; a list gives the decisions.
    assert sheet.protection.sheet
    assert all(sheet[f"{LETTER[c]}{row}"].protection.locked is False for c in REVIEWER_COLUMNS)
    assert sheet[f"{LETTER['claim']}{row}"].protection.locked is not False
    assert sheet.column_dimensions[LETTER["fingerprint"]].hidden and value("fingerprint")
    assert sheet.freeze_panes == "C2"
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists[0].formula1 == f'"{CORRECT},{TO_CORRECT}"' and str(lists[0].sqref) == f"{LETTER['decision']}2:{LETTER['decision']}{sheet.max_row}"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    sentences = workbook[RW["sheets"]["sentences"]]
    assert any(r[0].value == "offences.ncii" and r[2].value == "Introducción" and r[3].value.startswith("modules/intro/index.md:") for r in sentences.iter_rows(min_row=2))


def test_round_trip_confirms_corrects_and_leaves_the_rest_as_written(reviewed, run_cli, tmp_path):
    before_text = (reviewed / PROFILE).read_text(encoding="utf-8")
    assert not_verified_warnings(run_cli, reviewed) == set(UNVERIFIED)
    path = export(run_cli, reviewed, tmp_path)
    fill(path, {
        "offences.ncii": confirm(remarks="Texto vigente desde 2020."),
        "offences.grooming": confirm(decision=TO_CORRECT, corrected=f"{RW['fields']['fallback_articles']}:\n• art. 150\n• art. 151",
                                     source="Código Penal de Arcadia, arts. 150 y 151", date="15/11/2026"),
        "hotlines[0]": {"decision": TO_CORRECT, "corrected": f"{RW['fields']['number']}: 111", "reviewer": "Dra. Ana Revisora", "date": YESTERDAY.strftime("%d/%m/%Y")},
        "offences.csam": confirm(),  # shares its text with other offences through a YAML alias
        "treaties.budapest_second_protocol": {"reviewer": "Dra. Ana Revisora"},  # a name alone decides nothing
    })
    result = run_cli("--project", reviewed, "review", "import", path)
    assert result.exit_code == 0, result.output
    after_text = (reviewed / PROFILE).read_text(encoding="utf-8")
    assert result.stdout.startswith(f"--- a/{PROFILE}\n+++ b/{PROFILE}\n")
    assert "".join(difflib.unified_diff(before_text.splitlines(True), after_text.splitlines(True), f"a/{PROFILE}", f"b/{PROFILE}")) in result.stdout

    # Only the reviewed facts' lines changed; comments and every other line are as written.
    removed = {line[2:] for line in difflib.ndiff(before_text.splitlines(), after_text.splitlines()) if line.startswith("- ")}
    assert removed == {line for line in before_text.splitlines() if line.startswith(("  ncii:", "  grooming:", "  csam:", "  - {name: Línea Arcadia"))}
    assert len(removed) == 4
    assert "  # El tipo de captación se revisa con la fiscalía.\n  grooming: {" in after_text
    assert after_text.startswith("# Test fixture: a fictional country. None of these facts is real.\n")

    data = yaml.safe_load(after_text)
    ncii = data["offences"]["ncii"]
    assert ncii["verified"] is True and ncii["source"] == {"title": "Código Penal de Arcadia, texto oficial", "url": "https://example.org/cp-oficial"}
    assert (ncii["reviewed_by"], ncii["reviewed_on"]) == ("Dra. Ana Revisora, fiscal superior", YESTERDAY.isoformat())
    assert ncii["evidence"].startswith("Leído en el texto oficial de prueba. Revisión jurídica nacional de Dra. Ana Revisora, fiscal superior")
    assert "Observaciones: Texto vigente desde 2020." in ncii["evidence"]
    grooming = data["offences"]["grooming"]
    assert grooming["fallback_articles"] == ["art. 150", "art. 151"] and grooming["verified"] is True and grooming["reviewed_on"] == "2026-11-15"
    hotline = data["hotlines"][0]
    assert hotline["number"] == "111" and hotline["verified"] is False and hotline["reviewed_by"] == "Dra. Ana Revisora"
    assert data["treaties"]["budapest_second_protocol"] == yaml.safe_load(before_text)["treaties"]["budapest_second_protocol"]
    # The alias is broken for the reviewed offence only.
    assert data["offences"]["csam"]["reviewed_by"] and "reviewed_by" not in data["offences"]["harassment"] and "reviewed_by" not in data["offences"]["identity_theft"]
    assert not_verified_warnings(run_cli, reviewed) == {"hotlines[0]", "treaties.budapest_second_protocol"}


def test_a_fact_changed_since_the_export_is_reported_not_overwritten(reviewed, run_cli, tmp_path):
    path = export(run_cli, reviewed, tmp_path)
    fill(path, {"offences.ncii": confirm(), "offences.grooming": confirm()})
    edit(reviewed / PROFILE, "penalty: dos a cinco años", "penalty: dos a seis años")
    result = run_cli("--project", reviewed, "review", "import", path)
    assert result.exit_code == 0, result.output
    assert re.search(r"warning: revision.xlsx: Revisión!A\d+: 'offences.ncii' changed in country_profiles/arcadia.yaml since the sheet was exported; not applied", result.stderr)
    data = yaml.safe_load((reviewed / PROFILE).read_text(encoding="utf-8"))["offences"]
    assert data["ncii"]["penalty"] == "dos a seis años" and data["ncii"]["verified"] is False and "reviewed_by" not in data["ncii"]
    assert data["grooming"]["verified"] is True


def test_an_empty_sheet_changes_nothing(reviewed, run_cli, tmp_path):
    before = (reviewed / PROFILE).read_bytes()
    result = run_cli("--project", reviewed, "review", "import", export(run_cli, reviewed, tmp_path))
    assert (result.exit_code, result.stdout) == (0, f"{PROFILE} unchanged\n")
    assert (reviewed / PROFILE).read_bytes() == before


def malformed(run_cli, project, tmp_path, spoil) -> str:
    """Import a sheet spoiled by spoil(sheet, rows): it must fail, naming the cell, with the profile untouched."""
    path = export(run_cli, project, tmp_path)
    rows = fill(path, {"offences.ncii": confirm(), "offences.grooming": confirm()})
    workbook = load_workbook(path)
    spoil(workbook[RW["sheets"]["review"]], rows)
    workbook.save(path)
    before = (project / PROFILE).read_bytes()
    result = run_cli("--project", project, "review", "import", path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert (project / PROFILE).read_bytes() == before
    return result.stderr


def test_a_deleted_column_is_named(reviewed, run_cli, tmp_path):
    stderr = malformed(run_cli, reviewed, tmp_path, lambda sheet, rows: sheet.delete_cols(COLUMNS.index("remarks") + 1))
    assert f"revision.xlsx: Revisión!{LETTER['remarks']}1: the column '{HEADERS['remarks']}' is missing (deleted or renamed)" in stderr


def test_a_renamed_column_is_named(reviewed, run_cli, tmp_path):
    def rename(sheet, rows):
        sheet[f"{LETTER['date']}1"] = "Fecha"

    assert f"Revisión!{LETTER['date']}1: the column '{HEADERS['date']}' is missing" in malformed(run_cli, reviewed, tmp_path, rename)


def test_a_bad_date_is_named(reviewed, run_cli, tmp_path):
    def bad_date(sheet, rows):
        sheet[f"{LETTER['date']}{rows['offences.grooming']}"] = "31/02/2026"

    stderr = malformed(run_cli, reviewed, tmp_path, bad_date)
    assert re.search(rf"Revisión!{LETTER['date']}\d+: '31/02/2026' is not a date; write it as DD/MM/YYYY", stderr)
    assert stderr.rstrip().endswith("1 error, 0 warnings")


def test_an_unknown_key_is_named(reviewed, run_cli, tmp_path):
    def unknown_key(sheet, rows):
        sheet[f"A{rows['offences.ncii']}"] = "offences.nciii"

    stderr = malformed(run_cli, reviewed, tmp_path, unknown_key)
    assert re.search(r"Revisión!A\d+: unknown key 'offences.nciii': the profile has no legal fact with that key; did you mean 'offences.ncii'\?", stderr)


def test_an_unknown_decision_and_an_ambiguous_correction_are_named(reviewed, run_cli, tmp_path):
    def spoil(sheet, rows):
        sheet[f"{LETTER['decision']}{rows['offences.ncii']}"] = "Quizás"
        sheet[f"{LETTER['decision']}{rows['offences.grooming']}"] = TO_CORRECT
        sheet[f"{LETTER['corrected']}{rows['offences.grooming']}"] = "art. 151"

    stderr = malformed(run_cli, reviewed, tmp_path, spoil)
    assert re.search(rf"Revisión!{LETTER['decision']}\d+: unknown decision 'Quizás'; choose '{CORRECT}' or '{TO_CORRECT}'", stderr)
    assert re.search(rf"Revisión!{LETTER['corrected']}\d+: it is not clear which field this corrects", stderr)


def test_a_correction_the_profile_cannot_take_is_named(reviewed, run_cli, tmp_path):
    def spoil(sheet, rows):
        for key, correction in (("offences.ncii", f"{RW['fields']['instrument']}: Código Civil"),
                                ("offences.grooming", f"{RW['fields']['fallback']}: según prensa, el abuso genérico"),
                                ("hotlines[0]", f"{RW['fields']['number']}: llame al 111")):
            sheet[f"{LETTER['decision']}{rows[key]}"] = TO_CORRECT
            sheet[f"{LETTER['corrected']}{rows[key]}"] = correction
            sheet[f"{LETTER['reviewer']}{rows[key]}"] = "Dra. Ana Revisora"
            sheet[f"{LETTER['date']}{rows[key]}"] = YESTERDAY.isoformat()

    stderr = malformed(run_cli, reviewed, tmp_path, spoil)
    column = LETTER["corrected"]
    assert re.search(rf"Revisión!{column}\d+: 'Código Civil' is not one of the profile's instruments", stderr)
    assert re.search(rf"Revisión!{column}\d+: '{RW['fields']['number']}' cannot be 'llame al 111'", stderr)
    # Only once the others are sound is the whole profile checked: a research note in a value is refused too.
    path = tmp_path / "revision.xlsx"
    workbook = load_workbook(path)
    sheet = workbook[RW["sheets"]["review"]]
    rows = rows_by_key(sheet)
    for key in ("offences.ncii", "hotlines[0]"):
        for column_name in REVIEWER_COLUMNS:
            sheet[f"{LETTER[column_name]}{rows[key]}"] = None
    workbook.save(path)
    result = run_cli("--project", reviewed, "review", "import", path)
    assert result.exit_code == 1 and "holds a research note ('según prensa')" in result.stderr
    assert re.search(rf"Revisión!{column}{rows['offences.grooming']}: this row would make country_profiles/arcadia.yaml invalid", result.stderr)
