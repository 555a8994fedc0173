"""Export: a profile's legal facts as an XLSX worksheet for a national reviewer ('review export').

The people who can confirm a country's law (national judges, prosecutors, academics) work in a
spreadsheet, not in YAML. 'review export' writes one XLSX per country: an instructions sheet,
then one row per legal fact (a profile mapping with 'verified'), showing its fields as
participants read them, every sentence of the course that shows it, its source, its evidence
and its state, and yellow columns for the reviewer (decision, corrected value, official source,
link, remarks, name, date). A hidden column keeps a fingerprint of each fact as exported.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, ProblemsFound
from ..load import CASE_KEYS_DIR, MODULES_DIR, PROFILES_DIR, Project, load_project
from ..yamlfile import dotted
from ..words import language_of, words_of
from ..files import write_atomically
from .facts import (BULLETS, COLUMNS, CONTROL_SHEET, COURSE_COLUMNS, FORMAT, FORMAT_VERSION, REVIEWER_COLUMNS, Fact,
                    fingerprint, profile_facts, review_words)

INSTRUMENT_ALIASES = (("violence_law",), ("procedure", "code"))  # profile keys whose value names an instrument
WIDTHS = {"key": 16, "label": 18, "claim": 42, "landings": 42, "source": 22, "evidence": 46, "state": 12,
          "decision": 13, "corrected": 34, "official_source": 28, "link": 22, "remarks": 28, "reviewer": 18, "date": 12, "fingerprint": 12}
SENTENCE_COLUMNS = ("key", "label", "where", "file", "sentence")
SENTENCE_WIDTHS = {"key": 22, "label": 30, "where": 34, "file": 30, "sentence": 110}
MAX_SENTENCES = 3  # shown in the row; every one is on the sentences sheet
MAX_SENTENCE_CHARS = 300  # in the row; the sentences sheet has each in full
MAX_ROW_HEIGHT = 409  # points; Excel's limit
FONT = "Arial"  # on every system that opens the sheet (LibreOffice uses its metric twin, Liberation Sans)
INSTRUCTIONS_WIDTH = 92  # fits A4 portrait without scaling


def export_sheet(root: Path, country: str, out: Path | None = None, today: datetime.date | None = None) -> tuple[Path, int]:
    """Write the review worksheet of a country; returns its path and how many facts it lists."""
    from ..pipeline import check_project

    project = load_project(root)
    if project.profile_schema is None:
        raise ProblemsFound(list(project.problems) or [Problem(f"{PROFILES_DIR}/schema.yaml", 0, "is missing")])
    checked = check_project(project, [country], learn_usage=False)
    resolution = next((r for key, r in checked.resolutions.items() if key[0] == country), None)
    if resolution is None:
        raise ProblemsFound([p for p in checked.of_country(country) if p.severity == "error"] or checked.problems)
    profile = project.profiles[country].data
    words = words_of(profile.get("language"))
    rw = review_words(words)
    facts = profile_facts(profile, project.profile_schema.data, words)
    out = Path(out) if out else Path.cwd() / rw["file_name"].format(country=country)
    workbook = _workbook(project, country, profile, facts, resolution, words, today or datetime.date.today())
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(out, buffer.getvalue())
    return out, len(facts)


def _workbook(project: Project, country: str, profile: dict, facts: list[Fact], resolution, words: dict, today: datetime.date):
    from openpyxl import Workbook

    rw = review_words(words)
    name = str(profile.get("name", country))
    workbook = Workbook()
    _default_font(workbook)
    landings = {fact.key: _landings_of(fact, profile, resolution, project, words) for fact in facts}
    _instructions_sheet(workbook.active, project, name, facts, words, today)
    _review_sheet(workbook.create_sheet(rw["sheets"]["review"]), facts, landings, words, name)
    _sentences_sheet(workbook.create_sheet(rw["sheets"]["sentences"]), facts, landings, words, name)
    control = workbook.create_sheet(CONTROL_SHEET)
    for row in ((FORMAT, FORMAT_VERSION), ("country", country), ("language", language_of(profile.get("language"))),
                ("profile", f"{PROFILES_DIR}/{country}.yaml"), ("exported_on", today.isoformat()), ("facts", len(facts))):
        control.append(row)
    control.sheet_state = "veryHidden"
    workbook.active = 0
    return workbook


def _default_font(workbook) -> None:
    """The workbook's base font sets the unit of column widths: the same font on every system
    (Calibri, openpyxl's default, is replaced by fonts of other widths outside Office)."""
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    base = Font(name=FONT, size=10, family=2)
    workbook._fonts = IndexedList([base])
    workbook._named_styles["Normal"].font = base


@dataclass(frozen=True)
class Shown:
    """One sentence of the course that shows a fact."""

    where: str  # the module (or glossary, case keys) as a reader names it
    file: str
    sentence: str


def _landings_of(fact: Fact, profile: dict, resolution, project: Project, words: dict) -> list[Shown]:
    from ..where import landings

    asked = [fact.key]
    if fact.path[:1] == ("instruments",) and len(fact.path) == 2:
        asked += [dotted(alias) for alias in INSTRUMENT_ALIASES if _get(profile, alias) == fact.path[1]]
    found, seen = [], set()
    for key in asked:
        for landing in landings(resolution, key):
            if any(landing.key == child or landing.key.startswith((f"{child}.", f"{child}[")) for child in fact.children):
                continue  # a nested fact's sentences are on its own row
            if (landing.source, landing.line, landing.sentence) in seen:
                continue
            seen.add((landing.source, landing.line, landing.sentence))
            found.append(Shown(_part_of_course(landing.source, project, words), f"{landing.source}:{landing.line}", landing.sentence))
    return found


def _get(data, path):
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _part_of_course(source: str, project: Project, words: dict) -> str:
    parts = source.split("/")
    if len(parts) == 3 and parts[0] == MODULES_DIR and parts[1] in project.modules:
        return str(project.modules[parts[1]].front.get("title", parts[1]))
    if project.glossary and source == project.glossary.path:
        return str(project.glossary.data.get("title", source))
    if parts[0] == CASE_KEYS_DIR:
        return review_words(words)["case_keys"]
    return source


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="BFBFBF")
    font = FONT
    return {
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "header_font": Font(name=font, bold=True, size=10),
        "font": Font(name=font, size=10),
        "course_fill": PatternFill("solid", fgColor="D9E1F2"),
        "reviewer_fill": PatternFill("solid", fgColor="FFF2CC"),
        "reviewer_header_fill": PatternFill("solid", fgColor="FFD966"),
    }


def _instructions_sheet(sheet, project: Project, name: str, facts: list[Fact], words: dict, today: datetime.date) -> None:
    from openpyxl.styles import Alignment, Font

    rw = review_words(words)
    sheet.title = rw["sheets"]["instructions"]
    course = str(project.course.data.get("title", "")) if project.course else ""
    names = {f"{k}": v for k, v in rw["columns"].items()}
    names.update(rw["decisions"])
    names.update(review=rw["sheets"]["review"], sentences=rw["sheets"]["sentences"], country=name)
    sheet.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    sheet.append([rw["title"].format(country=name)])
    sheet["A1"].font = Font(name=FONT, bold=True, size=16)
    sheet.append([rw["subtitle"].format(course=course, date=_date_text(today), count=len(facts), country=name)])
    sheet["A2"].font = Font(name=FONT, italic=True, size=11)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = _height(sheet["A2"].value, INSTRUCTIONS_WIDTH, 11)
    for part in rw["instructions"]:
        sheet.append([])
        sheet.append([part["heading"].format(**names)])
        sheet.cell(sheet.max_row, 1).font = Font(name=FONT, bold=True, size=12)
        text = " ".join(part["text"].split()).format(**names)
        sheet.append([text])
        cell = sheet.cell(sheet.max_row, 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(name=FONT, size=11)
        sheet.row_dimensions[sheet.max_row].height = _height(text, INSTRUCTIONS_WIDTH, 11)
    sheet.protection.sheet = True
    _print_setup(sheet, f"A1:A{sheet.max_row}", landscape=False, footer=rw["footer"].format(country=name))


def _review_sheet(sheet, facts: list[Fact], landings: dict[str, list[Shown]], words: dict, name: str) -> None:
    from openpyxl.styles import Alignment, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.pagebreak import Break

    rw = review_words(words)
    style = _styles()
    columns = rw["columns"]
    letters = {column: get_column_letter(i) for i, column in enumerate(COLUMNS, 1)}
    sheet.append([columns[c] for c in COLUMNS])
    for column in COLUMNS:
        cell = sheet[f"{letters[column]}1"]
        cell.font, cell.alignment, cell.border = style["header_font"], Alignment(wrap_text=True, vertical="center"), style["border"]
        cell.fill = style["reviewer_header_fill"] if column in REVIEWER_COLUMNS else style["course_fill"]
        sheet.column_dimensions[letters[column]].width = WIDTHS[column]
    sheet.row_dimensions[1].height = 30
    for fact in facts:
        values = {
            "key": fact.key,
            "label": fact.label,
            "claim": fact.claim,
            "landings": _landings_text(landings[fact.key], words),
            "source": _source_text(fact.data.get("source"), words),
            "evidence": str(fact.data.get("evidence") or rw["empty"]),
            "state": _state_text(fact.data, words),
            "fingerprint": fingerprint(fact.data),
        }
        sheet.append([values.get(c) for c in COLUMNS])
        row = sheet.max_row
        for column in COLUMNS:
            cell = sheet[f"{letters[column]}{row}"]
            cell.alignment, cell.font, cell.border = style["wrap"], style["font"], style["border"]
            if column in REVIEWER_COLUMNS:
                cell.fill = style["reviewer_fill"]
                cell.protection = Protection(locked=False)
        sheet[f"{letters['date']}{row}"].number_format = "DD/MM/YYYY"
        sheet.row_dimensions[row].height = max(_height(values.get(c) or "", WIDTHS[c], 10) for c in COURSE_COLUMNS)
    last = sheet.max_row
    decisions = rw["decisions"]
    choices = DataValidation(type="list", formula1='"{},{}"'.format(decisions["correct"], decisions["to_correct"]), allow_blank=True,
                             showErrorMessage=True, errorTitle=rw["invalid_title"], error=rw["decision_error"].format(**decisions),
                             showInputMessage=True, promptTitle=columns["decision"], prompt=rw["decision_prompt"].format(**decisions))
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True, errorStyle="warning",
                           showErrorMessage=True, errorTitle=rw["invalid_title"], error=rw["date_error"],
                           showInputMessage=True, promptTitle=columns["date"], prompt=rw["date_prompt"])
    if last > 1:
        choices.add(f"{letters['decision']}2:{letters['decision']}{last}")
        dates.add(f"{letters['date']}2:{letters['date']}{last}")
    sheet.add_data_validation(choices)
    sheet.add_data_validation(dates)
    sheet.column_dimensions[letters["fingerprint"]].hidden = True
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{letters['date']}{last}"
    _protect(sheet)
    # On paper: the course's columns on one page, then the key, the label and the reviewer's columns.
    sheet.col_breaks.append(Break(id=COLUMNS.index(COURSE_COLUMNS[-1]) + 1))
    _print_setup(sheet, f"A1:{letters['date']}{last}", landscape=True, footer=rw["footer"].format(country=name), title_rows="1:1",
                 title_columns=f"A:{letters['label']}", pages_wide=2)


def _sentences_sheet(sheet, facts: list[Fact], landings: dict[str, list[Shown]], words: dict, name: str) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    rw = review_words(words)
    style = _styles()
    sheet.append([rw["sentence_columns"][c] for c in SENTENCE_COLUMNS])
    for i, column in enumerate(SENTENCE_COLUMNS, 1):
        cell = sheet.cell(1, i)
        cell.font, cell.fill, cell.border = style["header_font"], style["course_fill"], style["border"]
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(i)].width = SENTENCE_WIDTHS[column]
    for fact in facts:
        for shown in landings[fact.key]:
            values = {"key": fact.key, "label": fact.label, "where": shown.where, "file": shown.file, "sentence": shown.sentence}
            sheet.append([values[c] for c in SENTENCE_COLUMNS])
            for i in range(1, len(SENTENCE_COLUMNS) + 1):
                cell = sheet.cell(sheet.max_row, i)
                cell.alignment, cell.font, cell.border = style["wrap"], style["font"], style["border"]
            sheet.row_dimensions[sheet.max_row].height = max(_height(values[c], SENTENCE_WIDTHS[c], 10) for c in SENTENCE_COLUMNS)
    last = sheet.max_row
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SENTENCE_COLUMNS))}{last}"
    _protect(sheet)
    _print_setup(sheet, f"A1:{get_column_letter(len(SENTENCE_COLUMNS))}{last}", landscape=True, footer=rw["footer"].format(country=name), title_rows="1:1")


def _protect(sheet) -> None:
    """Locked cells stay as exported; columns and rows may be resized, filters used."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.autoFilter = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _print_setup(sheet, area: str, landscape: bool, footer: str, title_rows: str | None = None, title_columns: str | None = None, pages_wide: int = 1) -> None:
    sheet.print_area = area
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if landscape else sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = pages_wide
    sheet.page_setup.pageOrder = "overThenDown"  # a row's pages one after the other
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = footer
    sheet.oddFooter.center.size = 8
    if title_rows:
        sheet.print_title_rows = title_rows
    if title_columns:
        sheet.print_title_cols = title_columns


def _height(text: str, width: float, size: int) -> float:
    """Points a wrapped cell needs: its lines at the column's width, for a font of this size.

    Neither Excel nor LibreOffice fits rows to wrapped text when they open a file, so the sheet
    says; the estimate errs on the tall side (Excel fits fewer characters in a line than LibreOffice).
    """
    per_line = max(1, int(width * 1.1 * 10 / size))
    lines = sum(max(1, -(-len(line) // per_line)) for line in str(text).split("\n"))
    return min(MAX_ROW_HEIGHT, lines * size * 1.28 + 4)


def _landings_text(found: list[Shown], words: dict) -> str:
    rw = review_words(words)
    if not found:
        return rw["none_shown"].format(legal=words["legal_framework"])
    lines = [f"{BULLETS[0]} " + rw["landing"].format(sentence=_shortened(s.sentence), where=s.where) for s in found[:MAX_SENTENCES]]
    if len(found) > MAX_SENTENCES:
        more = len(found) - MAX_SENTENCES
        lines.append(rw["more_sentences"]["one" if more == 1 else "other"].format(count=more, sheet=rw["sheets"]["sentences"]))
    return "\n".join(lines)


def _shortened(text: str) -> str:
    return text if len(text) <= MAX_SENTENCE_CHARS else text[: MAX_SENTENCE_CHARS].rsplit(" ", 1)[0] + " \u2026"


def _source_text(source, words: dict) -> str:
    if not isinstance(source, dict):
        return review_words(words)["empty"]
    return "\n".join(str(part) for part in (source.get("title"), source.get("url")) if part)


def _state_text(fact: dict, words: dict) -> str:
    rw = review_words(words)
    state = rw["states"]["verified" if fact.get("verified") is True else "unverified"]
    if fact.get("reviewed_by") and fact.get("reviewed_on"):
        return rw["reviewed_state"].format(state=state, by=fact["reviewed_by"], date=_date_text(_iso_date(fact["reviewed_on"])) or fact["reviewed_on"])
    return state


def _date_text(date: datetime.date | None) -> str:
    return date.strftime("%d/%m/%Y") if date else ""


def _iso_date(text) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(text))
    except ValueError:
        return None

