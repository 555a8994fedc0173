"""Certificates: a roster read and checked row by row, one certificate page per participant with
the hours of the programme's agenda, a register of what was issued, and nothing written when
anything is wrong. Every name and document here is fictional."""

import csv
import io
import re

import pytest
import yaml
from pypdf import PdfReader

from conftest import build_edition, edit, make_project
from toolkit.agenda import compute_agenda
from toolkit.certificates import certificates_html, certificates_of, dates_text, hours_text, read_roster
from toolkit.errors import ProblemsFound
from toolkit.load import load_project
from toolkit.pipeline import check
from toolkit.words import labels

WORDS = labels("es")["certificate_words"]
PASS_MARK = 70
HEADER = "nombre,documento,fecha_inicio,fecha_fin,nota"
FIRST = ["Ana", "Lucía", "Tomás", "Carmen", "Julián", "Rosa", "Íñigo", "Marta", "Óscar", "Elena"]
LAST = ["Ejemplo Ficticia", "Prueba Inventada", "Muestra Irreal"]


@pytest.fixture
def course(tmp_path):
    """The mini course (a one-day programme) with a pass mark."""
    project = make_project(tmp_path / "course")
    with open(project / "curriculum/course.yaml", "a", encoding="utf-8") as stream:
        stream.write(f"assessment: {{pass_mark: {PASS_MARK}, min_items_per_module: 0}}\n")
    return project


def expected_hours(project, programme="jornada") -> str:
    """The programme's contact hours, from its YAML through the agenda, written as a certificate does."""
    modules = {m.id: m.front for m in load_project(project).modules.values()}
    data = yaml.safe_load((project / "curriculum" / f"{programme}.yaml").read_text(encoding="utf-8"))
    minutes = sum(day.contact_minutes for day in compute_agenda(data, modules))
    number = f"{minutes / 60:g}".replace(".", ",")
    return f"{number} {'hora' if minutes == 60 else 'horas'}"


def roster_rows(count: int) -> list[tuple[str, str, str, str, str]]:
    """Fictional participants with scores on both sides of the pass mark, and some without."""
    scores = ["85", "69,5", "", "70", "100", "0", "55", "92.5"]
    return [(f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST)]}", f"FICTICIO-{i + 1:04d}", "03/03/2027", "03/03/2027", scores[i % len(scores)])
            for i in range(count)]


def write_roster(path, rows, header=HEADER, separator=",", bom=False):
    """A roster as Excel writes it: CRLF lines, a value holding the separator in double quotes."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header.split(separator))
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + stream.getvalue().encode("utf-8"))
    return path


def approved(score: str) -> bool:
    return bool(score) and float(score.replace(",", ".")) >= PASS_MARK


def run_certificates(run_cli, project, roster, out):
    return run_cli("--project", project, "certificates", "--country", "arcadia", "--programme", "jornada", "--roster", roster, "--out", out)


def files_in(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else None


def test_help(run_cli):
    result = run_cli("certificates", "--help")
    assert result.exit_code == 0 and "Usage:" in result.output and "--roster" in result.output


@pytest.mark.slow  # lays out 30 pages: 2.6 to 4.4 s here
def test_a_roster_of_30_gives_30_pages_with_name_hours_and_kind_and_a_register(course, run_cli, tmp_path):
    rows = roster_rows(30)
    roster = write_roster(tmp_path / "roster.csv", rows)
    out = tmp_path / "out"
    result = run_certificates(run_cli, course, roster, out)
    assert result.exit_code == 0, result.output
    assert "30 certificate(s)" in result.stdout and "Traceback" not in result.stderr
    hours = expected_hours(course)
    pages = PdfReader(out / "arcadia-jornada-certificados.pdf").pages
    assert len(pages) == 30
    for page, (name, document, *_, score) in zip(pages, rows):
        text = " ".join(page.extract_text().split())
        assert name in text and document in text and re.search(rf"\b{hours}\b", text)
        assert ("de aprobación" in text) == approved(score) and ("de participación" in text) == (not approved(score))
        assert "el 3 de marzo de 2027" in text and "Escuela Judicial de Arcadia" in text and "Jornada de prueba" in text
    with open(out / "arcadia-jornada-registro-de-certificados.csv", encoding="utf-8-sig", newline="") as stream:
        register = list(csv.DictReader(stream))
    assert len(register) == 30
    assert [r["nombre"] for r in register] == [row[0] for row in rows]
    assert [r["tipo"] for r in register] == ["aprobación" if approved(row[4]) else "participación" for row in rows]
    assert {r["horas"] for r in register} == {hours.split()[0]}
    numbers = [r["número"] for r in register]
    assert numbers[0] == "ARCADIA-J-20270303-001" and len(set(numbers)) == 30


def test_a_semicolon_roster_with_a_bom_works_and_gives_the_same_bytes_twice(course, run_cli, tmp_path):
    rows = [("María José Ejemplo Ficticia", "", "2027-03-03", "2027-03-03", "70"), ("Tomás Prueba Inventada", "FICTICIO-0002", "03/03/2027", "03/03/2027", "69,9")]
    roster = write_roster(tmp_path / "roster.csv", rows, HEADER.replace(",", ";").replace("nombre", "Nombre"), ";", bom=True)
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_certificates(run_cli, course, roster, first).exit_code == 0
    assert run_certificates(run_cli, course, roster, second).exit_code == 0
    assert files_in(first) == files_in(second)
    text = [" ".join(p.extract_text().split()) for p in PdfReader(first / "arcadia-jornada-certificados.pdf").pages]
    assert "María José Ejemplo Ficticia" in text[0] and "de aprobación" in text[0] and "Documento" not in text[0]
    assert "de participación" in text[1] and "FICTICIO-0002" in text[1]
    register = (first / "arcadia-jornada-registro-de-certificados.csv").read_text(encoding="utf-8-sig")
    assert register.splitlines()[0] == "número;nombre;documento;programa;fecha_inicio;fecha_fin;horas;tipo;nota"  # the roster's separator
    assert register.splitlines()[2].endswith(";participación;69,9")


@pytest.mark.parametrize("bad_line, expected", [
    (",FICTICIO-0004,03/03/2027,03/03/2027,80", "roster.csv:5: the name ('nombre') is empty"),
    ("Rosa Muestra Irreal,FICTICIO-0004,31/02/2027,03/03/2027,80", "roster.csv:5: 'fecha_inicio' is '31/02/2027', a day that does not exist"),
    ("Rosa Muestra Irreal,FICTICIO-0004,31/12/0000,03/03/2027,80", "roster.csv:5: 'fecha_inicio' is '31/12/0000': the year 0 cannot be right"),
    ("Rosa Muestra Irreal,FICTICIO-0004,03/03/2027,03/03/2027,1e2", "roster.csv:5: 'nota' is '1e2'; write the post-test score as a number from 0 to 100"),
])
def test_a_bad_row_fails_names_its_line_and_writes_nothing(course, run_cli, tmp_path, bad_line, expected):
    rows = roster_rows(6)
    rows[3] = bad_line.split(",")  # line 5: the header is line 1
    roster = write_roster(tmp_path / "roster.csv", rows)
    out = tmp_path / "out"
    result = run_certificates(run_cli, course, roster, out)
    assert result.exit_code == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "1 error, 0 warnings"
    assert files_in(out) is None
    out.mkdir()
    previous = {"arcadia-jornada-certificados.pdf": b"previous pdf", "arcadia-jornada-registro-de-certificados.csv": b"previous register"}
    for name, data in previous.items():
        (out / name).write_bytes(data)
    assert run_certificates(run_cli, course, roster, out).exit_code == 1
    assert files_in(out) == previous


def test_every_bad_row_is_reported_at_once(tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [
        ("Ana Ejemplo Ficticia", "FICTICIO-0001", "03/03/2027", "04/03/2027", "85"),  # 2: fine
        ("", "FICTICIO-0002", "03/03/2027", "04/03/2027", ""),  # 3: no name
        ("Lucía Prueba Inventada", "FICTICIO-0003", "3 de marzo", "04/03/2027", ""),  # 4: not a date
        ("Tomás Muestra Irreal", "FICTICIO-0004", "05/03/2027", "04/03/2027", ""),  # 5: end before start
        ("Carmen Ejemplo Ficticia", "FICTICIO-0005", "03/03/2027", "03/03/2027", ""),  # 6: one day for a two-day programme
        ("Julián Prueba Inventada", "FICTICIO-0006", "03/03/2027", "04/03/2027", "150"),  # 7: score out of range
        ("Rosa Muestra Irreal", "FICTICIO-0001", "03/03/2027", "04/03/2027", "setenta"),  # 8: document of line 2, score not a number
        ("Íñigo Ejemplo Ficticia", "FICTICIO-0008", "03/15/2027", "2027-03-16", ""),  # 9: month first
        ("Marta Prueba Inventada", "FICTICIO-0009", "01/03/2027", "10/03/2027", ""),  # 10: ten days for two: a warning
        ("Elena Muestra Irreal", "FICTICIO-0010", "05/03/2027", "08/03/2027", ""),  # 11: Friday to Monday: fine
    ])
    with pytest.raises(ProblemsFound) as raised:
        read_roster(roster, WORDS, 2, "roster.csv")
    lines = str(raised.value.message).splitlines()
    assert [re.match(r"roster\.csv:(\d+): (warning: )?", line).group(1, 2) for line in lines[:-1]] == [
        ("3", None), ("4", None), ("5", None), ("6", None), ("7", None), ("8", None), ("8", None), ("9", None), ("10", "warning: ")]
    text = "\n".join(lines)
    assert "roster.csv:4: 'fecha_inicio' is '3 de marzo', not a date; write it as DD/MM/YYYY (03/03/2027) or YYYY-MM-DD (2027-03-03)" in text
    assert "roster.csv:5: 'fecha_fin' 04/03/2027 is before 'fecha_inicio' 05/03/2027" in text
    assert "roster.csv:6: the dates 03/03/2027-03/03/2027 span 1 day(s), but the programme has 2" in text
    assert "roster.csv:7: 'nota' is '150'; write the post-test score as a number from 0 to 100" in text
    assert "roster.csv:8: the document 'FICTICIO-0001' is also on line 2" in text
    assert "month first" in text
    assert lines[-1] == "8 errors, 1 warning"


def test_header_problems_name_the_columns_expected(tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [("Ana Ejemplo Ficticia", "03/03/2027", "x")], header="nombre,fecha_incio,correo")
    with pytest.raises(ProblemsFound) as raised:
        read_roster(roster, WORDS, 2, "roster.csv")
    text = raised.value.message
    assert "roster.csv:1: unknown column 'fecha_incio'; did you mean 'fecha_inicio'?" in text
    assert "roster.csv:1: unknown column 'correo'" in text and "roster.csv:1: the column 'fecha_fin' is missing" in text
    for content, message in [("", "roster.csv: is empty"), (HEADER + "\n\n", "roster.csv:1: has a header but no participant"),
                             ("Ana Ejemplo Ficticia,FICTICIO-0001,03/03/2027,04/03/2027,85\n", "roster.csv:1: is not a header row"),
                             (HEADER + '\n"Ana Ejemplo Ficticia,FICTICIO-0001,03/03/2027,04/03/2027,\nLuis,2,,,\n', "roster.csv:2: a value runs from line 2 to line 3"),
                             (HEADER + '\n"Ana Ejemplo Ficticia,FICTICIO-0001,03/03/2027,04/03/2027,', "roster.csv:2: a value runs to the end of the file"),
                             (" \n" + HEADER.replace(",", ";") + "\n", "roster.csv:2: has a header but no participant"),  # the separator from the header, not a blank line
                             (HEADER + "\nAna Ejemplo Ficticia,,03/03/2027,,\n", "roster.csv:2: 'fecha_fin' is empty; write the last day the person attended")]:
        roster.write_text(content, encoding="utf-8")
        with pytest.raises(ProblemsFound) as raised:
            read_roster(roster, WORDS, 2, "roster.csv")
        assert message in raised.value.message
    roster.write_bytes((HEADER + "\nJosé Ejemplo Ficticio,,03/03/2027,04/03/2027,\n").encode("cp1252"))
    with pytest.raises(ProblemsFound) as raised:
        read_roster(roster, WORDS, 2, "roster.csv")
    assert "roster.csv:2: is not UTF-8 text; save it as 'CSV UTF-8'" in raised.value.message


def test_dates_and_hours_are_written_in_spanish():
    import datetime

    d = datetime.date
    assert dates_text(d(2027, 3, 3), d(2027, 3, 6), WORDS) == "del 3 al 6 de marzo de 2027"
    assert dates_text(d(2027, 2, 28), d(2027, 3, 3), WORDS) == "del 28 de febrero al 3 de marzo de 2027"
    assert dates_text(d(2026, 12, 30), d(2027, 1, 2), WORDS) == "del 30 de diciembre de 2026 al 2 de enero de 2027"
    assert dates_text(d(2027, 3, 3), d(2027, 3, 3), WORDS) == "el 3 de marzo de 2027"
    assert [hours_text(m, WORDS) for m in (1680, 450, 60, 440)] == ["28 horas", "7,5 horas", "1 hora", "7,33 horas"]


def _participants(tmp_path, scores):
    rows = [(f"{FIRST[i]} Ejemplo Ficticia", "", "03/03/2027", "03/03/2027", s) for i, s in enumerate(scores)]
    return read_roster(write_roster(tmp_path / "roster.csv", rows), WORDS, 1).participants


def test_signatories_come_from_the_profile_or_are_generic(course, tmp_path):
    edition = build_edition(load_project(course), "arcadia")
    programme = edition.programmes[0]
    certificates = certificates_of(edition, programme, _participants(tmp_path, ["70", "69"]))
    assert [c.approved for c in certificates] == [True, False]
    html = certificates_html(edition, programme, certificates)
    assert all(role in html for role in WORDS["default_signatories"])
    assert "La Escuela Judicial de Arcadia certifica que" in html
    edit(course / "country_profiles/arcadia.yaml", "role: Forma a la judicatura., url: null}",
         "role: Forma a la judicatura., url: null, signatories: [{role: Dirección Ficticia de Pruebas, name: Dra. Firmante Inventada}, {role: Secretaría Ficticia, name: null}]}")
    assert [str(p) for p in check(course, ["arcadia"]).problems if p.severity == "error"] == []  # the schema takes them
    edition = build_edition(load_project(course), "arcadia")
    html = certificates_html(edition, programme, certificates)
    assert "Dra. Firmante Inventada" in html and "Secretaría Ficticia" in html
    assert not any(role in html for role in WORDS["default_signatories"])


def test_without_an_assessment_every_certificate_is_of_participation(project, tmp_path):
    edition = build_edition(load_project(project), "arcadia")
    participants = read_roster(write_roster(tmp_path / "roster.csv", [("Ana Ejemplo Ficticia", "", "03/03/2027", "03/03/2027", "100")]), WORDS, 1).participants
    assert [c.approved for c in certificates_of(edition, edition.programmes[0], participants)] == [False]


def test_a_draft_edition_a_bad_profile_and_an_unknown_programme_are_refused(course, run_cli, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", roster_rows(2))
    out = tmp_path / "out"
    result = run_cli("--project", course, "certificates", "--country", "arcadia", "--programme", "jornda", "--roster", roster, "--out", out)
    assert result.exit_code == 1 and "no programme 'jornda' in curriculum/; did you mean 'jornada'? programmes: jornada" in result.stderr
    edit(course / "country_profiles/arcadia.yaml", "name_full: República de Arcadia", 'name_full: "POR COMPLETAR"')
    result = run_certificates(run_cli, course, roster, out)
    assert result.exit_code == 1 and "the arcadia edition is a draft" in result.stderr and "should not certify an unfinished edition" in result.stderr
    edit(course / "country_profiles/arcadia.yaml", 'name_full: "POR COMPLETAR"', "name_full: República de Arcadia")
    edit(course / "country_profiles/arcadia.yaml", "role: Forma a la judicatura., url: null}",
         "role: Forma a la judicatura., url: null, signatories: [{role: Dirección Ficticia, cargo: Dirección}]}")
    check = run_cli("--project", course, "check")
    result = run_certificates(run_cli, course, roster, out)
    assert result.exit_code == check.exit_code == 1 and "judicial_school.signatories[0]" in result.stderr
    assert [line for line in result.stderr.splitlines() if "signatories" in line] == [line for line in check.stderr.splitlines() if "signatories" in line]
    assert files_in(out) is None


def test_two_groups_that_end_the_same_day_get_numbers_and_files_of_their_own(course, run_cli, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", roster_rows(2))
    out = tmp_path / "out"
    for group in ("A", "b2"):
        result = run_cli("--project", course, "certificates", "--country", "arcadia", "--programme", "jornada", "--roster", roster, "--out", out, "--group", group)
        assert result.exit_code == 0, result.output
    assert sorted(files_in(out)) == ["arcadia-jornada-a-certificados.pdf", "arcadia-jornada-a-registro-de-certificados.csv",
                                     "arcadia-jornada-b2-certificados.pdf", "arcadia-jornada-b2-registro-de-certificados.csv"]
    numbers = {group: [row["número"] for row in csv.DictReader(io.StringIO((out / f"arcadia-jornada-{group}-registro-de-certificados.csv").read_text(encoding="utf-8-sig")))]
               for group in ("a", "b2")}
    assert numbers == {"a": ["ARCADIA-J-A-20270303-001", "ARCADIA-J-A-20270303-002"], "b2": ["ARCADIA-J-B2-20270303-001", "ARCADIA-J-B2-20270303-002"]}
    assert "ARCADIA-J-B2-20270303-002" in PdfReader(out / "arcadia-jornada-b2-certificados.pdf").pages[1].extract_text()


def test_a_group_label_that_cannot_go_into_a_file_name_is_refused(course, run_cli, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", roster_rows(2))
    out = tmp_path / "out"
    result = run_cli("--project", course, "certificates", "--country", "arcadia", "--programme", "jornada", "--roster", roster, "--out", out, "--group", "../Lima")
    assert result.exit_code == 1 and "the group '../Lima' cannot label certificate numbers and file names: use 1 to 12 letters or digits" in result.stderr
    assert "Traceback" not in result.stderr and files_in(out) is None
