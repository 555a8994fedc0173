"""National legal review, both ways: a profile's legal facts as a worksheet, and back.

The people who can confirm a country's law (national judges, prosecutors, academics) work in a
spreadsheet, not in YAML. 'review export' writes one XLSX per country: an instructions sheet,
then one row per legal fact (a profile mapping with 'verified'), showing its fields as
participants read them, every sentence of the course that shows it, its source, its evidence
and its state, and yellow columns for the reviewer (decision, corrected value, official source,
link, remarks, name, date). A hidden column keeps a fingerprint of each fact as exported.

'review import' applies what the reviewer wrote, in a round trip that keeps the profile's
comments, key order and quoting (ruamel.yaml): a fact confirmed with an official source becomes
verified, with its source and reviewer recorded; a correction is applied when it names its
fields unambiguously; an empty row changes nothing; a fact that changed since the export is
reported and left as it is. A sheet that cannot be trusted (a column renamed or deleted, a bad
date, an unknown key or decision) is refused whole, naming sheet, column and row, and the
profile is not touched.

Row design: one row per fact, not per field, because a fact is verified as a whole against one
source. A correction names the fields it changes, one line each, as the claim column shows them
('<label>: <value>'), so a reviewer copies the line and edits it; a fact with a single field takes the
bare value. Every word the sheet shows comes from the language file (review_words).
"""

from __future__ import annotations

import copy
import datetime
import difflib
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import yaml as pyyaml

from .errors import Problem, ProblemsFound, ToolkitError
from .load import CASE_KEYS_DIR, MODULES_DIR, PROFILES_DIR, Project, load_project
from .yamlfile import YamlError, dotted, mappings_in, parse_yaml, read_text
from .words import language_of, words_of

FORMAT = "toolkit-review-sheet"  # cell A1 of the hidden control sheet
FORMAT_VERSION = 1
CONTROL_SHEET = "toolkit"  # very hidden; not shown to reviewers
BOOKKEEPING = ("source", "verified", "evidence", "reviewed_by", "reviewed_on")
GRAMMAR_DEFS = ("#/$defs/article", "#/$defs/plural")  # how a name is written, not a legal fact
REFERENCES = {"instrument": "instruments"}  # a field that names a key of another part of the profile
ENUM_WORDS = {"protects": "protects_labels", "status": "treaty_status"}  # enum fields labelled outside review_words
ITEM_WORDS = {"offences": "offence_labels", "treaties": "treaty_labels", "procedure": "procedure_labels"}
INSTRUMENT_ALIASES = (("violence_law",), ("procedure", "code"))  # profile keys whose value names an instrument

COURSE_COLUMNS = ("key", "label", "claim", "landings", "source", "evidence", "state")
REVIEWER_COLUMNS = ("decision", "corrected", "official_source", "link", "remarks", "reviewer", "date")
COLUMNS = COURSE_COLUMNS + REVIEWER_COLUMNS + ("fingerprint",)
WIDTHS = {"key": 16, "label": 18, "claim": 42, "landings": 42, "source": 22, "evidence": 46, "state": 12,
          "decision": 13, "corrected": 34, "official_source": 28, "link": 22, "remarks": 28, "reviewer": 18, "date": 12, "fingerprint": 12}
SENTENCE_COLUMNS = ("key", "label", "where", "file", "sentence")
SENTENCE_WIDTHS = {"key": 22, "label": 30, "where": 34, "file": 30, "sentence": 110}
MAX_SENTENCES = 3  # shown in the row; every one is on the sentences sheet
MAX_SENTENCE_CHARS = 300  # in the row; the sentences sheet has each in full
BULLETS = "\u2022-*\u2013\u00b7"  # a bullet, hyphen, asterisk, en dash, middle dot
MAX_ROW_HEIGHT = 409  # points; Excel's limit
FONT = "Arial"  # on every system that opens the sheet (LibreOffice uses its metric twin, Liberation Sans)
INSTRUCTIONS_WIDTH = 92  # fits A4 portrait without scaling


# ---------------------------------------------------------------------------------------------
# Facts as the sheet shows them


@dataclass
class Field:
    name: str
    label: str
    schema: dict  # the field's schema, references resolved
    value: object
    shown: str  # the value as the sheet shows it
    correctable: bool  # a reviewer's text maps onto it unambiguously (a list of named values does not)
    choices: dict = field(default_factory=dict)  # an enumerated field: value (as text) -> its word
    targets: dict = field(default_factory=dict)  # a reference: the profile part it names a key of
    defs: dict = field(default_factory=dict)  # the schema's $defs, to validate a new value

    @property
    def is_list(self) -> bool:
        return self.schema.get("type") == "array" or isinstance(self.value, list)


@dataclass
class Fact:
    path: tuple
    key: str
    data: dict
    label: str
    fields: list[Field]
    children: list[str]  # key paths of the facts nested in it (their own rows)

    @property
    def claim(self) -> str:
        return "\n".join(f"{f.label}:\n{f.shown}" if f.is_list and f.value else f"{f.label}: {f.shown}" for f in self.fields)


def fingerprint(fact: dict) -> str:
    """What the fact says, as exported (nested facts have their own rows and fingerprints)."""
    own = {k: v for k, v in fact.items() if not (isinstance(v, dict) and "verified" in v)}
    return hashlib.sha256(json.dumps(own, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()[:20]


def profile_facts(profile: dict, schema: dict, words: dict) -> list[Fact]:
    """Every legal fact of a profile, in the order the file writes them."""
    facts = []
    paths = [path for path, value in mappings_in(profile) if "verified" in value]
    for path in paths:
        data = _at(profile, path)
        node = _schema_at(schema, path)
        children = [dotted(p) for p in paths if len(p) > len(path) and p[: len(path)] == path]
        fields = []
        for name, value in data.items():
            if name in BOOKKEEPING or (isinstance(value, dict) and "verified" in value):
                continue
            raw = node.get("properties", {}).get(name, {})
            if raw.get("$ref") in GRAMMAR_DEFS:
                continue
            resolved = _resolve(raw, schema)
            named_list = isinstance(value, list) and any(isinstance(item, dict) for item in value)
            if isinstance(value, dict):
                continue  # no fact field is a plain mapping; a nested one is not a claim of its own
            targets = profile.get(REFERENCES[name]) if name in REFERENCES and isinstance(profile.get(REFERENCES[name]), dict) else {}
            fields.append(Field(name, _field_label(words, name), resolved, value, _shown(name, value, words, profile), not named_list,
                                _enum_labels(words, name) if "enum" in resolved else {}, targets, schema.get("$defs", {})))
        facts.append(Fact(path, dotted(path), data, _fact_label(path, data, words), fields, children))
    return facts


def _at(data, path):
    for part in path:
        data = data[part]
    return data


def _resolve(node, schema: dict) -> dict:
    """A schema node with its $ref merged in; of a oneOf, the option that describes a mapping."""
    if not isinstance(node, dict):
        return {}
    reference = node.get("$ref", "")
    if reference.startswith("#/$defs/"):
        node = {**_resolve(schema["$defs"][reference.rpartition("/")[2]], schema), **{k: v for k, v in node.items() if k != "$ref"}}
    for option in node.get("oneOf", []):
        option = _resolve(option, schema)
        if "properties" in option:
            return {**option, **{k: v for k, v in node.items() if k != "oneOf"}}
    return node


def _schema_at(schema: dict, path: tuple) -> dict:
    node = _resolve(schema, schema)
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {})
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        else:
            node = node.get("additionalProperties") if isinstance(node.get("additionalProperties"), dict) else {}
        node = _resolve(node, schema)
    return node


def _review_words(words: dict) -> dict:
    return words["review_words"]


def _field_label(words: dict, name: str) -> str:
    return _review_words(words)["fields"].get(name, name)


def _fact_label(path: tuple, data: dict, words: dict) -> str:
    rw = _review_words(words)
    section = rw["sections"].get(path[0], path[0])
    table = words.get(ITEM_WORDS.get(path[0], ""), {})
    if len(path) > 1 and path[1] in table:
        item = table[path[1]]
        if len(path) > 2:
            item += f" ({words['other_victims']})" if path[-1] == "other_victims" else f" ({dotted(path[2:])})"
    else:
        item = next((str(data[k]) for k in ("name", "reference", "year") if data.get(k) not in (None, "")), "")
    return f"{section}: {item}" if item else section


def _enum_labels(words: dict, name: str) -> dict:
    """value -> word for an enumerated field ('typified', 'status', 'protects'), keyed by text."""
    table = _review_words(words).get("values", {}).get(name) or words.get(ENUM_WORDS.get(name, ""), {})
    return {str(k).lower(): v for k, v in table.items()} if isinstance(table, dict) else {}


def _enum_key(value) -> str:
    return str(value).lower()


def _shown(name: str, value, words: dict, profile: dict) -> str:
    empty = _review_words(words)["empty"]
    if value is None or value == "" or value == []:
        return empty
    labels = _enum_labels(words, name)
    if labels and not isinstance(value, (list, dict)):
        return labels.get(_enum_key(value), str(value))
    if name in REFERENCES and isinstance(value, str):
        target = (profile.get(REFERENCES[name]) or {}).get(value)
        return str(target["name"]) if isinstance(target, dict) and isinstance(target.get("name"), str) else value
    if isinstance(value, list):
        return "\n".join(f"{BULLETS[0]} {item['name'] if isinstance(item, dict) and 'name' in item else item}" for item in value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Export


def export_sheet(root: Path, country: str, out: Path | None = None, today: datetime.date | None = None) -> tuple[Path, int]:
    """Write the review worksheet of a country; returns its path and how many facts it lists."""
    from .pipeline import check_project

    project = load_project(root)
    if project.profile_schema is None:
        raise ProblemsFound(list(project.problems) or [Problem(f"{PROFILES_DIR}/schema.yaml", 0, "is missing")])
    checked = check_project(project, [country], learn_usage=False)
    resolution = next((r for key, r in checked.resolutions.items() if key[0] == country), None)
    if resolution is None:
        raise ProblemsFound([p for p in checked.of_country(country) if p.severity == "error"] or checked.problems)
    profile = project.profiles[country].data
    words = words_of(profile.get("language"))
    rw = _review_words(words)
    facts = profile_facts(profile, project.profile_schema.data, words)
    out = Path(out) if out else Path.cwd() / rw["file_name"].format(country=country)
    workbook = _workbook(project, country, profile, facts, resolution, words, today or datetime.date.today())
    buffer = io.BytesIO()
    workbook.save(buffer)
    _write_atomically(out, buffer.getvalue())
    return out, len(facts)


def _workbook(project: Project, country: str, profile: dict, facts: list[Fact], resolution, words: dict, today: datetime.date):
    from openpyxl import Workbook

    rw = _review_words(words)
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
    from .where import landings

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
        return _review_words(words)["case_keys"]
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

    rw = _review_words(words)
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

    rw = _review_words(words)
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

    rw = _review_words(words)
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
    rw = _review_words(words)
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
        return _review_words(words)["empty"]
    return "\n".join(str(part) for part in (source.get("title"), source.get("url")) if part)


def _state_text(fact: dict, words: dict) -> str:
    rw = _review_words(words)
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


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename it into place: never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------------
# Import


class CellError(Exception):
    def __init__(self, cell: str, message: str):
        super().__init__(f"{cell}: {message}")
        self.cell, self.message = cell, message


@dataclass
class RowReview:
    """What the reviewer wrote on one row, checked against the profile."""

    row: int
    fact: Fact
    decision: str  # "correct" or "to_correct"
    corrections: dict  # field name -> new value
    source: dict | None  # {"title", "url"} of the official source the reviewer read
    remarks: str
    reviewer: str
    date: datetime.date
    exported: str  # the fact's fingerprint at export
    cells: dict  # column -> cell reference, for messages
    unchanged: list = field(default_factory=list)  # fields "corrected" to the value they already have


@dataclass
class ImportResult:
    country: str
    profile: str  # project-relative path
    diff: list[str]
    applied: list[str] = field(default_factory=list)  # one line per row applied
    warnings: list[str] = field(default_factory=list)  # rows not applied, facts left unverified
    changed: bool = False


def import_sheet(root: Path, sheet_path: Path, country: str | None = None, today: datetime.date | None = None) -> ImportResult:
    """Apply a filled review sheet to its country's profile; nothing is written unless every row is sound."""
    today = today or datetime.date.today()
    sheet_path = Path(sheet_path)
    name = sheet_path.name
    workbook = _open_workbook(sheet_path)
    meta = _control(workbook, name)
    exported_country = str(meta.get("country") or "")
    if country and exported_country and country != exported_country:
        raise ToolkitError(f"{name} was exported for '{exported_country}', not '{country}'; import it without --country or with --country {exported_country}")
    country = country or exported_country
    project = load_project(root)
    if country not in project.profiles:
        problems = [p for p in project.problems if p.path == f"{PROFILES_DIR}/{country}.yaml"]
        if problems:
            raise ProblemsFound(problems)
        raise ToolkitError(f"no profile {PROFILES_DIR}/{country}.yaml to import {name} into")
    if project.profile_schema is None:
        raise ProblemsFound(project.problems)
    document = project.profiles[country]
    profile = document.data
    words = words_of(profile.get("language"))
    schema = project.profile_schema.data
    facts = {fact.key: fact for fact in profile_facts(profile, schema, words)}
    reviews = _read_rows(workbook, name, facts, words, today)
    profile_file = project.root / PROFILES_DIR / f"{country}.yaml"
    rel = f"{PROFILES_DIR}/{country}.yaml"
    result = ImportResult(country, rel, [])
    todo = []
    for review in reviews:
        if fingerprint(review.fact.data) != review.exported:
            data = review.fact.data
            if data.get("reviewed_by") == review.reviewer and data.get("reviewed_on") == review.date.isoformat():
                why = "it already holds this review (was the sheet imported before?)"
            else:
                why = "export a new sheet and ask the reviewer again"
            result.warnings.append(f"{name}: {review.cells['key']}: '{review.fact.key}' changed in {rel} since the sheet was exported; not applied: {why}")
        else:
            todo.append(review)
    if not todo:
        if not reviews:
            result.warnings.append(f"{name}: no row has a decision; {rel} is unchanged")
        return result
    original_bytes = profile_file.read_bytes()
    text = read_text(profile_file, rel).replace("\r\n", "\n")
    if parse_yaml(text, rel).data != profile:
        raise ToolkitError(f"{rel} changed while the sheet was being imported; run the import again")
    new_text, expected = _apply(text, profile, todo, words, result)
    _check_result(new_text, expected, rel, document, schema, todo, name, today)
    if profile_file.read_bytes() != original_bytes:
        raise ToolkitError(f"{rel} changed while the sheet was being imported; run the import again")
    if new_text != text:
        result.diff = list(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"))
        written = new_text.replace("\n", "\r\n") if b"\r\n" in original_bytes else new_text
        bom = b"\xef\xbb\xbf" if original_bytes.startswith(b"\xef\xbb\xbf") else b""
        _write_atomically(profile_file, bom + written.encode("utf-8"))
        result.changed = True
    return result


def _open_workbook(path: Path):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as err:
        raise ToolkitError(f"{path.name} is not a spreadsheet written by 'review export' (.xlsx): {err}") from None


def _control(workbook, name: str) -> dict:
    sheet = workbook[CONTROL_SHEET] if CONTROL_SHEET in workbook.sheetnames else None
    if sheet is None or sheet["A1"].value != FORMAT:
        raise ToolkitError(f"{name} was not written by 'review export' (its hidden '{CONTROL_SHEET}' sheet is missing); export a sheet with 'python build.py review export --country ID'")
    meta = {str(row[0].value): row[1].value for row in sheet.iter_rows(min_row=2, max_col=2) if row[0].value is not None}
    if sheet["B1"].value != FORMAT_VERSION:
        raise ToolkitError(f"{name} is a review sheet of format {sheet['B1'].value}, this toolkit reads format {FORMAT_VERSION}; export a new sheet")
    return meta


def _norm(text: str) -> str:
    """Text as a person may retype it: case, accents and spacing do not matter."""
    text = unicodedata.normalize("NFD", str(text).casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_rows(workbook, name: str, facts: dict[str, Fact], words: dict, today: datetime.date) -> list[RowReview]:
    from openpyxl.utils import get_column_letter

    rw = _review_words(words)
    title = rw["sheets"]["review"]
    if title not in workbook.sheetnames:
        raise ProblemsFound([Problem(name, 0, f"{title}: the sheet '{title}' is missing (renamed or deleted); the sheets are: {', '.join(s for s in workbook.sheetnames if s != CONTROL_SHEET)}")])
    sheet = workbook[title]
    headers = {}
    for index, cell in enumerate(next(sheet.iter_rows(min_row=1, max_row=1), ()), 1):
        if cell.value is not None:
            headers.setdefault(_norm(cell.value), index)
    problems = []
    where = {}
    for position, column in enumerate(COLUMNS, 1):
        header = rw["columns"][column]
        if _norm(header) in headers:
            where[column] = headers[_norm(header)]
        else:
            problems.append(Problem(name, 0, f"{title}!{get_column_letter(position)}1: the column '{header}' is missing (deleted or renamed); restore it as exported, or export a new sheet"))
    if problems:
        raise ProblemsFound(problems)
    decisions = {_norm(text): decision for decision, text in rw["decisions"].items()}
    reviews, seen = [], {}
    for row in range(2, sheet.max_row + 1):
        cells = {column: f"{title}!{get_column_letter(index)}{row}" for column, index in where.items()}
        values = {column: sheet.cell(row, index).value for column, index in where.items()}
        try:
            review = _read_row(row, values, cells, facts, decisions, rw, today)
        except CellError as err:
            problems.append(Problem(name, 0, str(err)))
            continue
        if review is None:
            continue
        if review.fact.key in seen:
            problems.append(Problem(name, 0, f"{cells['key']}: '{review.fact.key}' is also reviewed on row {seen[review.fact.key]}; keep one row per fact"))
            continue
        seen[review.fact.key] = row
        reviews.append(review)
    if problems:
        raise ProblemsFound(problems)
    return reviews


def _read_row(row: int, values: dict, cells: dict, facts: dict[str, Fact], decisions: dict, rw: dict, today: datetime.date) -> RowReview | None:
    text = {column: _cell_text(values[column]) for column in COLUMNS if column != "date"}
    said = [c for c in ("decision", "corrected", "official_source", "link", "remarks") if text[c]]
    if not said:
        return None  # an empty row (a name or date alone decides nothing) changes nothing
    key = text["key"]
    if not key:
        raise CellError(cells["key"], "this row has a review but no key; keep the key column as exported")
    if key not in facts:
        close = difflib.get_close_matches(key, list(facts), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise CellError(cells["key"], f"unknown key '{key}': the profile has no legal fact with that key{hint}")
    fact = facts[key]
    if not text["decision"]:
        raise CellError(cells["decision"], f"the row says something ({', '.join(rw['columns'][c] for c in said)}) but has no decision; choose {' or '.join(repr(v) for v in rw['decisions'].values())}")
    decision = decisions.get(_norm(text["decision"]))
    if decision is None:
        raise CellError(cells["decision"], f"unknown decision '{text['decision']}'; choose {' or '.join(repr(v) for v in rw['decisions'].values())}")
    if not text["reviewer"]:
        raise CellError(cells["reviewer"], "the reviewer's name is missing")
    date = _read_date(values["date"], cells["date"], today)
    if not text["fingerprint"]:
        raise CellError(cells["fingerprint"], "the hidden fingerprint of the fact is missing; export a new sheet")
    corrections = {}
    if text["corrected"]:
        if decision != "to_correct":
            raise CellError(cells["corrected"], f"a corrected value needs the decision '{rw['decisions']['to_correct']}', not '{text['decision']}'")
        corrections = _parse_correction(text["corrected"], fact, cells["corrected"], rw)
    elif decision == "to_correct" and not text["remarks"]:
        raise CellError(cells["corrected"], f"'{rw['decisions']['to_correct']}' needs the corrected value, or a remark saying what is wrong")
    unchanged = [name for name, value in corrections.items() if value == fact.data.get(name)]
    corrections = {name: value for name, value in corrections.items() if name not in unchanged}
    source = None
    if text["link"] and not re.match(r"^https?://\S+$", text["link"]):
        raise CellError(cells["link"], f"'{text['link']}' is not a web address (http:// or https://)")
    if text["official_source"]:
        source = {"title": text["official_source"], "url": text["link"] or None}
    elif text["link"]:
        raise CellError(cells["official_source"], "a link needs the title of the official text it leads to")
    return RowReview(row, fact, decision, corrections, source, text["remarks"], text["reviewer"], date, text["fingerprint"], cells, unchanged)


def _read_date(value, cell: str, today: datetime.date) -> datetime.date:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellError(cell, "the date of the review is missing; write it as DD/MM/YYYY")
    if isinstance(value, datetime.datetime):
        date = value.date()
    elif isinstance(value, datetime.date):
        date = value
    else:
        date = _parse_date(str(value).strip())
        if date is None:
            raise CellError(cell, f"'{value}' is not a date; write it as DD/MM/YYYY")
    if date > today:
        raise CellError(cell, f"{date.isoformat()} is in the future; write the date of the review")
    if date.year < 2000:
        raise CellError(cell, f"{date.isoformat()} is not a plausible review date")
    return date


def _parse_date(text: str) -> datetime.date | None:
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if match:
            return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return None


def _parse_correction(text: str, fact: Fact, cell: str, rw: dict) -> dict:
    """'Label: value' lines (a list: the label, then one bulleted line per item) -> {field: value}."""
    by_label = {_norm(f.label): f for f in fact.fields}
    entries: list[list] = []  # [field or None, lines]
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = re.match(r"^([^:]{1,60}):(.*)$", line)
        if match and _norm(match.group(1)) in by_label:
            rest = match.group(2).strip()
            entries.append([by_label[_norm(match.group(1))], [rest] if rest else []])
        elif entries:
            entries[-1][1].append(line)
        else:
            entries.append([None, [line]])
    labels = ", ".join(f"'{f.label}'" for f in fact.fields if f.correctable)
    if entries and entries[0][0] is None:
        if len(fact.fields) == 1 and fact.fields[0].correctable:
            entries[0][0] = fact.fields[0]
        else:
            raise CellError(cell, f"it is not clear which field this corrects; start each line with the field's name and a colon, as the claim column shows it ({labels})")
    corrections = {}
    for fld, lines in entries:
        if fld.name in corrections:
            raise CellError(cell, f"'{fld.label}' is corrected twice; write it once")
        if not fld.correctable:
            raise CellError(cell, f"'{fld.label}' cannot be corrected from the sheet (its names carry their grammar); describe the correction in the remarks")
        corrections[fld.name] = _convert(fld, lines, cell, rw)
    return corrections


def _convert(fld: Field, lines: list[str], cell: str, rw: dict):
    schema = fld.schema
    types = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
    empty = _norm(rw["empty"])
    if fld.is_list:
        items = [line.lstrip(BULLETS).strip() for line in lines]
        items = [item for item in items if item and _norm(item) != empty]
        value = items
    else:
        joined = " ".join(line.strip() for line in lines).strip()
        if not joined:
            raise CellError(cell, f"'{fld.label}' has no value after its name")
        value = _scalar(fld, joined, types, empty, cell)
    _validate(fld, value, cell)
    return value


def _scalar(fld: Field, text: str, types: list, empty: str, cell: str):
    if _norm(text) in (empty, "-") and "null" in types:
        return None
    if "enum" in fld.schema:
        options = fld.schema["enum"]
        wanted = _norm(text)
        for option in options:
            if wanted in (_norm(fld.choices.get(_enum_key(option), "")), _norm(_enum_key(option))):
                return option
        allowed = ", ".join(f"'{fld.choices.get(_enum_key(o), o)}'" for o in options)
        raise CellError(cell, f"'{text}' is not a value of '{fld.label}'; write one of {allowed}")
    if fld.name in REFERENCES:
        return _reference(fld, text, cell)
    if "integer" in types and re.fullmatch(r"\d{1,9}", text):
        return int(text)
    return text


def _reference(fld: Field, text: str, cell: str) -> str:
    """A field that names a key of another part of the profile ('instrument'), by that part's name or key."""
    wanted = _norm(text)
    for key, target in fld.targets.items():
        names = [key] + ([str(target[k]) for k in ("name", "short_name") if target.get(k)] if isinstance(target, dict) else [])
        if wanted in {_norm(n) for n in names}:
            return key
    known = ", ".join(f"'{t.get('name', k)}'" for k, t in fld.targets.items() if isinstance(t, dict))
    raise CellError(cell, f"'{text}' is not one of the profile's {REFERENCES[fld.name]}; write one of {known}, or add it to the profile first")


def _validate(fld: Field, value, cell: str) -> None:
    schema = {**{k: v for k, v in fld.schema.items() if k != "description"}, "$defs": fld.defs}
    error = next(iter(sorted(jsonschema.Draft202012Validator(schema).iter_errors(value), key=str)), None)
    if error is not None:
        raise CellError(cell, f"'{fld.label}' cannot be '{value}': {error.message}")


# ---------------------------------------------------------------------------------------------
# Applying the reviews: a round trip that leaves what no review touches as it was written


INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0))  # (mapping, sequence, offset) styles a file may use


def _round_trip(indent=(2, 4, 2)):
    from ruamel.yaml import YAML

    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 1_000_000  # never fold a long line the file writes on one line
    handler.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    handler.representer.add_representer(type(None), lambda representer, data: representer.represent_scalar("tag:yaml.org,2002:null", "null"))
    return handler


def _dump(tree, indent) -> str:
    stream = io.StringIO()
    _round_trip(indent).dump(tree, stream)
    return stream.getvalue()


def _file_indent(tree, text: str):
    """The indentation style that writes the untouched file back as it was (or the closest one)."""
    best, best_score = INDENTS[0], -1.0
    for indent in INDENTS:
        written = _dump(tree, indent)
        if written == text:
            return indent
        score = difflib.SequenceMatcher(None, text.splitlines(), written.splitlines(), autojunk=False).ratio()
        if score > best_score:
            best, best_score = indent, score
    return best


def _apply(text: str, profile: dict, reviews: list[RowReview], words: dict, result: ImportResult) -> tuple[str, dict]:
    """The profile's new text, and the values it must parse to."""
    tree = _round_trip().load(text)
    indent = _file_indent(tree, text)
    expected = copy.deepcopy(profile)
    rw = _review_words(words)
    for review in reviews:
        changes = _changes(review, rw, result)
        node = _own_node(tree, review.fact.path)
        plain = _at(expected, review.fact.path)
        for key, value in changes.items():
            _set(node, key, value)
            plain[key] = value
    return _dump(tree, indent), expected


def _changes(review: RowReview, rw: dict, result: ImportResult) -> dict:
    """What a review changes in its fact, in the order new keys are written."""
    fact, labels = review.fact, {f.name: f.label for f in review.fact.fields}
    changes = dict(review.corrections)
    verified = fact.data.get("verified") is True
    if review.source:
        changes["source"] = dict(review.source)
        verified = review.decision == "correct" or bool(review.corrections)
    elif review.decision == "to_correct":
        verified = False
    if review.unchanged:
        same = ", ".join(f"'{labels[name]}'" for name in review.unchanged)
        result.warnings.append(f"{review.cells['corrected']}: '{fact.key}': the corrected {same} is what the profile already says; nothing changed there")
    if review.decision == "correct" and not review.source and not verified:
        result.warnings.append(f"{review.cells['official_source']}: '{fact.key}' is confirmed without an official source, so it stays unverified; the reviewer is recorded")
    changes["verified"] = verified
    if review.decision == "correct":
        what = rw["note_correct"]
    elif review.corrections:
        what = rw["note_corrected"].format(fields=", ".join(labels[name] for name in review.corrections))
    else:
        what = rw["note_to_correct"]
    if review.source:
        what = f"{what}; {rw['note_checked_with'].format(source=review.source['title'])}"
    note = rw["note"].format(by=review.reviewer, date=review.date.isoformat(), what=what)
    if review.remarks:
        note = f"{note} {rw['note_remarks'].format(remarks=' '.join(review.remarks.split()))}"
    evidence = str(fact.data.get("evidence") or "").strip()
    changes["evidence"] = f"{evidence} {note}" if evidence else note
    changes["reviewed_by"] = review.reviewer
    changes["reviewed_on"] = review.date.isoformat()
    state = "verified" if verified else "unverified"
    done = (f"corrected {', '.join(review.corrections)}" if review.corrections else
            "confirmed" if review.decision == "correct" else "marked to correct")
    source = f" against '{review.source['title']}'" if review.source else ""
    result.applied.append(f"{review.cells['key']}: {fact.key}: {done}{source}, now {state}; reviewed by {review.reviewer} on {review.date.isoformat()}")
    return changes


def _walk(node, seen: set, counts: dict) -> None:
    counts[id(node)] = counts.get(id(node), 0) + 1
    if id(node) in seen:
        return
    seen.add(id(node))
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        if isinstance(child, (dict, list)):
            _walk(child, seen, counts)


def _own_node(tree, path: tuple):
    """The fact's mapping in the tree, copied out first if YAML aliases share it with other facts."""
    counts: dict[int, int] = {}
    _walk(tree, set(), counts)
    node = tree
    for part in path:
        child = node[part]
        if counts.get(id(child), 0) > 1:
            child = _unshared(child)
            node[part] = child
        node = child
    return node


def _unshared(node):
    duplicate = copy.deepcopy(node)
    stack = [duplicate]
    while stack:
        item = stack.pop()
        if hasattr(item, "yaml_set_anchor"):
            item.yaml_set_anchor(None)
        stack.extend(v for v in (item.values() if isinstance(item, dict) else item) if isinstance(v, (dict, list)))
    return duplicate


def _set(node, key: str, value) -> None:
    """Set one key of a fact, keeping the style of what it replaces; a new key goes where a person would write it."""
    if key in node:
        old = node[key]
        if isinstance(value, dict) and isinstance(old, dict):
            for name, item in value.items():
                old[name] = _styled(item, old.get(name), old)
            for name in [n for n in old if n not in value]:
                del old[name]
            return
        node[key] = _styled(value, old, node)
        return
    keys = list(node)
    if key == "source":
        position = keys.index("verified") if "verified" in keys else len(keys)
    else:
        after = {"evidence": ("verified",), "reviewed_by": ("evidence", "verified"), "reviewed_on": ("reviewed_by", "evidence", "verified")}.get(key, ())
        anchor = next((k for k in after if k in keys), None)
        position = keys.index(anchor) + 1 if anchor else len(keys)
    node.insert(position, key, _styled(value, None, node))
    if position > 0:
        _move_trailing_comment(node, keys[position - 1], key)


def _move_trailing_comment(node, previous: str, new: str) -> None:
    """What follows the previous key's line (blank lines, comments about the next key) now follows the new key."""
    from ruamel.yaml.tokens import CommentToken

    entry = node.ca.items.get(previous)
    if not entry or len(entry) < 3 or entry[2] is None:
        return
    token = entry[2]
    own_line, _, rest = token.value.partition("\n")
    if own_line.strip():  # an end-of-line comment stays on its line
        if not rest:
            return
        token.value = own_line + "\n"
        moved = CommentToken("\n" + rest, token.start_mark, token.end_mark)
    else:
        entry[2] = None
        moved = token
    node.ca.items[new] = [None, None, moved, None]


def _styled(value, old, siblings):
    """A value written in the style of the one it replaces (or of its siblings): quotes, flow or block."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString, SingleQuotedScalarString

    if isinstance(value, dict):
        mapping = CommentedMap()
        for name, item in value.items():
            mapping[name] = _styled(item, None, siblings)
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_styled(item, None, old if isinstance(old, list) else siblings) for item in value)
        if isinstance(old, CommentedSeq) and old.fa.flow_style():
            sequence.fa.set_flow_style()
        return sequence
    if not isinstance(value, str):
        return value
    if isinstance(old, (LiteralScalarString, FoldedScalarString)):
        return type(old)(value)
    if isinstance(old, SingleQuotedScalarString) and "\n" not in value:
        return SingleQuotedScalarString(value)
    quoted = isinstance(old, DoubleQuotedScalarString) or (old is None and _quotes_strings(siblings))
    return DoubleQuotedScalarString(value) if quoted or not _plain_safe(value) else value


def _quotes_strings(siblings) -> bool:
    """Whether the mapping (or list) a new value joins writes its text in double quotes."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    items = siblings.values() if isinstance(siblings, dict) else siblings if isinstance(siblings, list) else ()
    texts = [item for item in items if isinstance(item, str)]
    return any(isinstance(item, DoubleQuotedScalarString) for item in texts)


def _plain_safe(text: str) -> bool:
    """Text that both YAML 1.1 (PyYAML, which check uses) and YAML 1.2 read back as the same text."""
    try:
        return pyyaml.safe_load(f"k: {text}") == {"k": text} and text == text.strip() and "\n" not in text
    except pyyaml.YAMLError:
        return False


def _check_result(new_text: str, expected: dict, rel: str, old, schema: dict, reviews: list[RowReview], name: str, today: datetime.date) -> None:
    """The new text reads back as exactly the intended values, and adds no error to the profile."""
    from .validate import profile_problems

    try:
        new = parse_yaml(new_text, rel)
    except YamlError as err:
        raise ToolkitError(f"{rel} would not parse after the import ({err}); nothing was written") from None
    if new.data != expected:
        raise ToolkitError(f"writing {rel} back would change values no row touches; nothing was written (edit the profile by hand)")
    before = {(p.key_path, p.message) for p in profile_problems(old, schema, today) if p.severity == "error"}
    added = [p for p in profile_problems(new, schema, today) if p.severity == "error" and (p.key_path, p.message) not in before]
    problems = []
    for problem in added:
        review = next((r for r in reviews if problem.key_path == r.fact.key or problem.key_path.startswith((f"{r.fact.key}.", f"{r.fact.key}["))), None)
        cell = (review.cells["corrected"] if review.corrections else review.cells["key"]) if review else rel
        problems.append(Problem(name, 0, f"{cell}: this row would make {rel} invalid: {problem.message}"))
    if problems:
        raise ProblemsFound(problems)
