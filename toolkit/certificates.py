"""Certificates a judicial school issues for one programme of a country's edition.

Two parts, each usable alone. read_roster reads the school's roster (a CSV written by hand or
by Excel) and reports every bad row at once, as 'FILE:LINE: message'. certificates_pdf and
register_csv turn a valid roster into one PDF with a certificate per participant (A4
landscape, WeasyPrint) and the register of what was issued. issue does both for the command
line and writes nothing unless everything is right. Every word printed on a certificate comes
from the language file (certificate_words); the hours come from the programme's agenda.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import os
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from markupsafe import Markup

from .errors import Problem, ProblemsFound, ToolkitError
from .files import write_atomically
from .pages import Edition, Programme, render_page
from .pdf import pdf_bytes
from .words import folded

TEMPLATES = Path(__file__).parent / "templates"
REQUIRED = ("name", "start", "end")  # roster columns every row must fill; 'document' and 'score' are optional
SEPARATORS = (";", ",", "\t")
DATE_FORMATS = "as DD/MM/YYYY (03/03/2027) or YYYY-MM-DD (2027-03-03)"
DATE_HELP = f"write it {DATE_FORMATS}"
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_SHORT_YEAR = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}")
_SCORE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,2})?")  # as a school writes it: 85, 85,5, 85.25


@dataclass(frozen=True)
class Participant:
    line: int  # the roster line the row starts on (the header is line 1)
    name: str
    document: str  # "" when the roster gives none
    start: datetime.date
    end: datetime.date
    score: float | None  # post-test score, 0-100; None when not given


@dataclass
class Roster:
    path: str  # as the person named it, for messages
    separator: str  # the register is written with the same one
    participants: list[Participant]
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Certificate:
    number: str
    participant: Participant
    approved: bool

    @property
    def kind(self) -> str:
        return "approval" if self.approved else "participation"


def _key(text: str) -> str:
    """A column name as compared: no accents, case, surrounding spaces; spaces and hyphens as '_'."""
    return re.sub(r"[\s\-]+", "_", folded(text.strip()))


def sniff_separator(header_line: str) -> str:
    """The separator of a roster, read from its header: Spanish Excel writes ';', others ','."""
    counts = {separator: header_line.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


def parse_date(text: str) -> tuple[datetime.date | None, str]:
    """A roster date (YYYY-MM-DD or DD/MM/YYYY) or None, and why not."""
    text = text.strip()
    if not text:
        return None, f"is empty; {DATE_HELP}"  # read_roster says which day to write
    iso, dmy = _ISO.fullmatch(text), _DMY.fullmatch(text)
    if not iso and not dmy:
        if _SHORT_YEAR.fullmatch(text):
            return None, f"is '{text}', with a two-digit year; {DATE_HELP}"
        return None, f"is '{text}', not a date; {DATE_HELP}"
    year, month, day = (int(iso[1]), int(iso[2]), int(iso[3])) if iso else (int(dmy[3]), int(dmy[2]), int(dmy[1]))
    if not 2000 <= year <= 2100:  # a placeholder year (0001, 9999) is a typing slip, not a course date
        return None, f"is '{text}': the year {year} cannot be right; {DATE_HELP}"
    if not 1 <= month <= 12:
        hint = "; it looks written month first: write the day first (DD/MM/YYYY)" if dmy and 1 <= day <= 12 else ""
        return None, f"is '{text}': there is no month {month}{hint}"
    try:
        return datetime.date(year, month, day), ""
    except ValueError:
        days = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
        return None, f"is '{text}', a day that does not exist: month {month} of {year} has {days} days"


def weekdays(start: datetime.date, end: datetime.date) -> int:
    """Monday to Friday days from start to end, both included."""
    return sum(1 for n in range((end - start).days + 1) if (start + datetime.timedelta(days=n)).weekday() < 5)


def parse_score(text: str) -> tuple[float | None, str]:
    """A post-test score from 0 to 100 ('85', '85,5', '85.5', '85 %'), None when empty, and why not."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    if not cleaned:
        return None, ""
    # Two decimals at most, so that the register (two decimals) shows the very score the pass mark was compared with.
    if not _SCORE.fullmatch(cleaned) or float(cleaned) > 100:
        return None, f"is '{text.strip()}'; write the post-test score as a number from 0 to 100 (85 or 85,5), or leave it empty"
    return float(cleaned), ""


def read_roster(path: Path, words: dict, programme_days: int, shown_as: str | None = None) -> Roster:
    """Read and check a roster; every problem of every row is reported at once (ProblemsFound).

    words: the language's certificate_words (the column names). programme_days: how many days
    the programme has; a row whose dates span fewer is an error, more a warning unless the extra
    days are a weekend (sessions may be spread out). shown_as: how messages name the file (default: path).
    """
    where = shown_as or str(path)
    columns = words["columns"]
    header_help = ";".join(columns.values())
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise ToolkitError(f"cannot read the roster {where}: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ProblemsFound([Problem(where, line, "is not UTF-8 text; save it as 'CSV UTF-8' (in Excel: Save As, then the type 'CSV UTF-8'), then run again")]) from None
    if not text.strip():
        raise ProblemsFound([Problem(where, 0, f"is empty; write the header row first ({header_help}), then one row per participant")])
    separator = sniff_separator(next(line for line in text.splitlines() if line.strip()))  # the header's line
    # Ended by a line break, so that a quote left open on the last line is caught as on any other.
    reader = csv.reader(io.StringIO(text if text.endswith(("\n", "\r")) else text + "\n", newline=""), delimiter=separator)
    problems: list[Problem] = []
    try:
        rows = []
        previous = 0
        for cells in reader:
            rows.append((previous + 1, cells))
            if any("\n" in cell or "\r" in cell for cell in cells):
                span = f"from line {previous + 1} to line {reader.line_num}" if reader.line_num > previous + 1 else "to the end of the file"
                problems.append(Problem(where, previous + 1, f"a value runs {span}: a double quote (\") "
                                                             "opens it and nothing closes it on its line; close it or delete it"))
            previous = reader.line_num
    except csv.Error as err:
        raise ProblemsFound([Problem(where, reader.line_num, f"cannot be read as CSV ({err}); check the quotes on this line")]) from None
    if problems:
        raise ProblemsFound(problems)
    rows = [(line, cells) for line, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        raise ProblemsFound([Problem(where, 0, f"is empty; write the header row first ({header_help}), then one row per participant")])
    header_line, header = rows[0]
    positions = _header_positions(header, header_line, columns, where, problems, separator)
    if problems:
        raise ProblemsFound(problems)
    if len(rows) == 1:
        raise ProblemsFound([Problem(where, header_line, "has a header but no participant; add one row per participant below the header")])

    participants, documents, people = [], {}, {}
    for line, cells in rows[1:]:
        values = {key: cells[position].strip() if position < len(cells) else "" for key, position in positions.items()}
        row_problems = []

        def bad(message: str, severity: str = "error") -> None:
            row_problems.append(Problem(where, line, message, severity))

        extra = [i + 1 for i in range(len(header), len(cells)) if cells[i].strip()] + [
            i + 1 for i in range(min(len(header), len(cells))) if not header[i].strip() and cells[i].strip()]
        if extra:
            bad(f"has a value in column {', '.join(map(str, sorted(extra)))}, which has no name in the header; "
                f"a value that holds '{separator}' (a name, a score like 85,5) must be in double quotes; otherwise delete the extra value")
        name = " ".join(values["name"].split())
        if not name:
            bad(f"the name ('{columns['name']}') is empty; write the participant's full name as it must appear on the certificate, or delete the row")
        dates = {}
        for key in ("start", "end"):
            dates[key], why = parse_date(values[key])
            if not values[key]:
                bad(f"'{columns[key]}' is empty; write the {'first' if key == 'start' else 'last'} day the person attended, {DATE_FORMATS}")
            elif why:
                bad(f"'{columns[key]}' {why}")
        start, end = dates["start"], dates["end"]
        if start and end:
            span = (end - start).days + 1
            if end < start:
                bad(f"'{columns['end']}' {end:%d/%m/%Y} is before '{columns['start']}' {start:%d/%m/%Y}; correct one of them (swapped?)")
            elif span < programme_days:
                bad(f"the dates {start:%d/%m/%Y}-{end:%d/%m/%Y} span {span} day(s), but the programme has {programme_days}; "
                    "correct the dates, or name the programme this person attended (--programme)")
            elif span > programme_days and weekdays(start, end) > programme_days:
                bad(f"the dates {start:%d/%m/%Y}-{end:%d/%m/%Y} span {span} days, {weekdays(start, end)} of them weekdays, for a programme of "
                    f"{programme_days}; right if its sessions were spread out, otherwise correct them", "warning")
        score, why = parse_score(values["score"]) if "score" in values else (None, "")
        if why:
            bad(f"'{columns['score']}' {why}")
        document = " ".join(values.get("document", "").split())
        if document:
            same = _key(document)
            if same in documents:
                bad(f"the document '{document}' is also on line {documents[same]}; keep one row per participant")
            documents.setdefault(same, line)
        elif name and start and end:
            person = (_key(name), start, end)
            if person in people:
                bad(f"'{name}' with the same dates is also on line {people[person]}, and neither row has a document; "
                    "delete one if it is the same person, or add their documents", "warning")
            people.setdefault(person, line)
        problems += row_problems
        if not any(p.severity == "error" for p in row_problems):
            participants.append(Participant(line, name, document, start, end, score))
    if any(p.severity == "error" for p in problems):
        raise ProblemsFound(problems)
    return Roster(where, separator, participants, problems)


def _header_positions(header: list[str], line: int, columns: dict, where: str, problems: list[Problem], separator: str) -> dict[str, int]:
    """Column key ('name', 'start'…) -> its position in the header row; problems are appended."""
    known = {_key(name): key for key, name in columns.items()}
    expected = ", ".join(f"{name} (required)" if key in REQUIRED else name for key, name in columns.items())
    positions: dict[str, int] = {}
    if not any(_key(cell) in known for cell in header):
        problems.append(Problem(where, line, f"is not a header row ('{separator.join(header)}'); the first line must name the columns: {expected}"))
        return positions
    for position, cell in enumerate(header):
        if not cell.strip():
            continue  # an unnamed column (Excel keeps empty ones): a row with a value there is reported
        key = known.get(_key(cell))
        if key is None:
            close = difflib.get_close_matches(_key(cell), list(known), n=1)
            hint = f"did you mean '{columns[known[close[0]]]}'? " if close else ""
            problems.append(Problem(where, line, f"unknown column '{cell.strip()}'; {hint}the columns are: {expected}. Rename or delete it"))
        elif key in positions:
            problems.append(Problem(where, line, f"the column '{columns[key]}' appears twice (columns {positions[key] + 1} and {position + 1}); keep one"))
        else:
            positions[key] = position
    for key in REQUIRED:
        if key not in positions:
            problems.append(Problem(where, line, f"the column '{columns[key]}' is missing; add it to the header (the columns are: {expected})"))
    return positions


# Rendering -----------------------------------------------------------------------------------


def contact_minutes(programme: Programme) -> int:
    """Minutes a participant spends in the programme's sessions, from its agenda."""
    return sum(day.contact_minutes for day in programme.agenda)


def _number(value: Decimal | float, words: dict) -> str:
    """85 -> '85', 7.5 -> '7,5', 7.333… -> '7,33' (at most two decimals, the language's decimal separator)."""
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", words["decimal_separator"])


def hours_text(minutes: int, words: dict) -> str:
    """'28 horas', '7,5 horas', '1 hora'."""
    hours = Decimal(minutes) / Decimal(60)
    form = words["hours"]["one" if minutes == 60 else "other"]
    return form.format(hours=_number(hours, words))


def hours_figure(minutes: int, words: dict) -> str:
    """The register's hours: the number only ('7,5')."""
    return _number(Decimal(minutes) / Decimal(60), words)


def dates_text(start: datetime.date, end: datetime.date, words: dict) -> str:
    """'el 3 de marzo de 2027', 'del 3 al 6 de marzo de 2027', 'del 28 de febrero al 3 de marzo de 2027'…"""
    months, forms = words["months"], words["dates"]
    if start == end:
        return forms["one_day"].format(day=start.day, month=months[start.month - 1], year=start.year)
    if (start.year, start.month) == (end.year, end.month):
        return forms["same_month"].format(start_day=start.day, end_day=end.day, month=months[start.month - 1], year=start.year)
    if start.year == end.year:
        return forms["same_year"].format(start_day=start.day, start_month=months[start.month - 1], end_day=end.day,
                                         end_month=months[end.month - 1], year=start.year)
    return forms["other_years"].format(start_day=start.day, start_month=months[start.month - 1], start_year=start.year,
                                       end_day=end.day, end_month=months[end.month - 1], end_year=end.year)


def initials(programme_id: str) -> str:
    """'jornada-de-sensibilizacion' -> 'JDS'."""
    return "".join(part[0] for part in re.split(r"[-_]+", programme_id) if part).upper()


GROUP = re.compile(r"[A-Za-z0-9]{1,12}")  # a group's label: it goes into numbers and file names


def certificate_number(country: str, programme_id: str, end: datetime.date, index: int, group: str = "") -> str:
    """PERU-JDS-20270306-001: country, programme initials, the participant's last day and the roster
    position, so numbers never change for the same roster. Two groups of one programme that end the
    same day are told apart by their labels (PERU-JDS-A-20270306-001, PERU-JDS-B-…)."""
    label = f"-{group.upper()}" if group else ""
    return f"{country.upper()}-{initials(programme_id)}{label}-{end:%Y%m%d}-{index:03d}"


def pass_mark_of(course: dict) -> int | None:
    assessment = course.get("assessment")
    return assessment.get("pass_mark") if isinstance(assessment, dict) else None


def certificates_of(edition: Edition, programme: Programme, participants: list[Participant], group: str = "") -> list[Certificate]:
    """One certificate per participant, in roster order: approval when the score reaches the
    course's pass mark; participation otherwise, without a score, or when the course sets none."""
    pass_mark = pass_mark_of(edition.course)
    return [
        Certificate(certificate_number(edition.country, programme.id, p.end, index, group), p,
                    pass_mark is not None and p.score is not None and p.score >= pass_mark)
        for index, p in enumerate(participants, 1)
    ]


def signatories(edition: Edition) -> list[dict]:
    """Who signs: the profile's judicial_school.signatories, or the language file's generic posts."""
    school = edition.profile.get("judicial_school") or {}
    given = school.get("signatories") if isinstance(school, dict) else None
    if given:
        return [{"role": s["role"], "name": s.get("name")} for s in given]
    return [{"role": role, "name": None} for role in edition.words["certificate_words"]["default_signatories"]]


def certificates_html(edition: Edition, programme: Programme, certificates: list[Certificate]) -> str:
    """Every certificate as one HTML document, one A4 landscape page each."""
    words = edition.words["certificate_words"]
    school = edition.profile["judicial_school"]
    minutes = contact_minutes(programme)
    pages = []
    for certificate in certificates:
        participant = certificate.participant
        kind = words["kinds"][certificate.kind]
        pages.append({
            "number": words["number"].format(number=certificate.number),
            "kind": kind["title"],
            "name": participant.name,
            "document": words["document"].format(document=participant.document) if participant.document else "",
            "statement": words["statement"].format(verb=kind["statement"], programme=programme.title, course=edition.course["title"],
                                                   dates=_unbroken(dates_text(participant.start, participant.end, words)), hours=_unbroken(hours_text(minutes, words))),
            "long": len(participant.name) > 40,
            "very_long": len(participant.name) > 70,
        })
    created = max(c.participant.end for c in certificates).isoformat() if certificates else edition.date.isoformat()
    return render_page(
        "certificate.html.j2",
        language=edition.language,
        country=edition.record,
        school={"name": edition.record["school"], "article": school.get("article"), "plural": school.get("plural")},
        title=words["document_title"].format(programme=programme.title, country=edition.record["name"]),
        course=edition.course["title"],
        programme=programme,
        certificates=pages,
        signatories=signatories(edition),
        cw=words,
        css=Markup((TEMPLATES / "certificate.css").read_text(encoding="utf-8")),
        created=created,
    )


def _unbroken(text: str) -> str:
    """Dates and hours stay on one line of the certificate ('3 de marzo de 2027', '7,5 horas')."""
    return text.replace(" ", "\u00a0")


def certificates_pdf(edition: Edition, programme: Programme, certificates: list[Certificate], root: Path) -> bytes:
    return pdf_bytes(certificates_html(edition, programme, certificates), root)


def register_csv(edition: Edition, programme: Programme, certificates: list[Certificate], separator: str = ";") -> bytes:
    """The register of what was issued, one row per certificate; UTF-8 with a BOM, so Excel reads the accents."""
    words = edition.words["certificate_words"]
    columns = words["register_columns"]
    minutes = contact_minutes(programme)
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=separator, lineterminator="\r\n")
    writer.writerow(columns.values())
    for certificate in certificates:
        p = certificate.participant
        row = {
            "number": certificate.number, "name": p.name, "document": p.document, "programme": programme.title,
            "start": p.start.isoformat(), "end": p.end.isoformat(), "hours": hours_figure(minutes, words),
            "kind": words["kinds"][certificate.kind]["register"], "score": "" if p.score is None else _number(p.score, words),
        }
        writer.writerow(row[key] for key in columns)
    return stream.getvalue().encode("utf-8-sig")


# The command -----------------------------------------------------------------------------------


@dataclass
class Issued:
    pdf: Path
    register: Path
    certificates: list[Certificate]
    warnings: list[Problem]


def certifiable_edition(root: Path, country: str) -> Edition:
    """The country's edition as 'check' resolves it; refused while it has errors or values to fill."""
    from .load import load_project
    from .pipeline import check_project

    checked = check_project(load_project(root), [country], learn_usage=False)
    errors = [p for p in checked.problems if p.severity == "error"]
    if any(not p.to_fill for p in errors):
        raise ProblemsFound(errors)
    editions = checked.editions_of([country])
    if errors or not editions or editions[0].draft:
        raise ToolkitError("\n".join([f"the {country} edition is a draft, and a school should not certify an unfinished edition: fill in these "
                                      f"{len(errors)} value(s) first ('python build.py check --country {country}' lists them by module)",
                                      *(str(p) for p in sorted(errors))]))
    return editions[0]


def programme_of(edition: Edition, programme_id: str) -> Programme:
    found = next((p for p in edition.programmes if p.id == programme_id), None)
    if found is None:
        ids = [p.id for p in edition.programmes]
        close = difflib.get_close_matches(programme_id, ids, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ToolkitError(f"no programme '{programme_id}' in curriculum/; {hint}programmes: {', '.join(ids)}")
    return found


def issue(root: Path, country: str, programme_id: str, roster_path: Path, out_dir: Path, group: str = "", progress=lambda message: None) -> Issued:
    """Check the edition and the roster, then write the certificates' PDF and their register into
    out_dir; nothing is written unless both are right (each file is replaced atomically). A group
    label, for one of several groups of the programme, goes into the numbers and the file names."""
    if group and not GROUP.fullmatch(group):
        raise ToolkitError(f"the group '{group}' cannot label certificate numbers and file names: use 1 to 12 letters or digits (A, B, LIMA1)")
    progress(f"Checking the {country} edition…")
    edition = certifiable_edition(root, country)
    programme = programme_of(edition, programme_id)
    words = edition.words["certificate_words"]
    roster = read_roster(roster_path, words, len(programme.agenda))
    warnings = list(roster.warnings)
    if pass_mark_of(edition.course) is None and any(p.score is not None for p in roster.participants):
        warnings.insert(0, Problem(roster.path, 1, f"the column '{words['columns']['score']}' is not used: curriculum/course.yaml sets no "
                                                   "assessment.pass_mark, so every certificate is one of participation", "warning"))
    certificates = certificates_of(edition, programme, roster.participants, group)
    progress(f"Laying out {len(certificates)} certificate(s)…")
    pdf = certificates_pdf(edition, programme, certificates, root)
    register = register_csv(edition, programme, certificates, roster.separator)
    names = {"country": country, "programme": f"{programme.id}-{group.lower()}" if group else programme.id}
    pdf_path, register_path = out_dir / words["file_name"].format(**names), out_dir / words["register_file_name"].format(**names)
    for target in (pdf_path, register_path):  # both or neither: a register must number what its PDF numbers
        if target.is_dir() or (target.exists() and not os.access(target, os.W_OK)):
            raise ToolkitError(f"cannot replace {target}: close it or remove it, then run again")
    try:
        write_atomically(pdf_path, pdf)
        write_atomically(register_path, register)
    except OSError as err:
        raise ToolkitError(f"cannot write the certificates into {out_dir}: {err}") from None
    return Issued(pdf_path, register_path, certificates, warnings)
