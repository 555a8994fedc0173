"""Import: a filled review worksheet applied to its country profile ('review import').

'review import' applies what the reviewer wrote, in a round trip that keeps the profile's
comments, key order and quoting (ruamel.yaml): a fact confirmed with an official source becomes
verified, with its source and reviewer recorded; a correction is applied when it names its
fields unambiguously; an empty row changes nothing; a fact that changed since the export is
reported and left as it is. A sheet that cannot be trusted (a column renamed or deleted, a bad
date, an unknown key or decision) is refused whole, naming sheet, column and row, and the
profile is not touched.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import yaml as pyyaml

from ..errors import Problem, ProblemsFound, ToolkitError
from ..load import PROFILES_DIR, load_project
from ..yamlfile import YamlError, parse_yaml, read_text
from ..words import words_of
from ..files import write_atomically
from .facts import (BULLETS, COLUMNS, CONTROL_SHEET, FORMAT, FORMAT_VERSION, REFERENCES, Fact, Field, at, enum_key,
                    fingerprint, profile_facts, review_words)


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
        write_atomically(profile_file, bom + written.encode("utf-8"))
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

    rw = review_words(words)
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
            if wanted in (_norm(fld.choices.get(enum_key(option), "")), _norm(enum_key(option))):
                return option
        allowed = ", ".join(f"'{fld.choices.get(enum_key(o), o)}'" for o in options)
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
    rw = review_words(words)
    for review in reviews:
        changes = _changes(review, rw, result)
        node = _own_node(tree, review.fact.path)
        plain = at(expected, review.fact.path)
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
    from ..validate import profile_problems

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
