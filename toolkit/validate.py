"""Stage 2, validate: judge what was loaded against the schemas and against each other.

Every finding is a Problem naming the file, the line and the key path; nothing is raised,
so one run reports everything that is wrong.
"""

from __future__ import annotations

import datetime
import difflib
import re
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from .agenda_rules import course_rules, module_pause_problems, programme_agenda_problems
from .casekeys import case_key_problems
from .errors import Problem
from .itembank import bank_problems, missing_bank_problem
from .lint import declared_hotlines, include_problems, link_problems, privacy_problems
from .load import MODULES_DIR, Module, Project
from .materials import materials_problems
from .words import is_to_fill, words_of
from .yamlfile import YamlDocument, dotted, mappings_in

SCHEMAS = Path(__file__).parent / "schemas"


@cache
def _builtin_schema(name: str) -> dict:
    return yaml.safe_load((SCHEMAS / f"{name}.yaml").read_text(encoding="utf-8"))


def schema_problems(document: YamlDocument, schema: dict) -> list[Problem]:
    """Every place where document breaks schema, worded for the person editing the file.

    A value still to fill (see words.is_to_fill) is reported once as such, not as the type it is not yet.
    """
    problems = [
        Problem(document.path, document.line_of(key_path), f"'{dotted(key_path)}' is still to fill", key_path=dotted(key_path), to_fill=True)
        for key_path in paths_to_fill(document.data)
    ]
    validator = jsonschema.Draft202012Validator(schema)
    for error in validator.iter_errors(document.data):
        # A value still to fill is reported once as such; a list of them is not "repeated items".
        if is_to_fill(error.instance) or (error.validator == "uniqueItems" and any(map(is_to_fill, error.instance))):
            continue
        for key_path, message, to_fill in _explain(error):
            problems.append(Problem(document.path, document.line_of(key_path), message, key_path=dotted(key_path), to_fill=to_fill))
    return problems


def paths_to_fill(value, key_path=()):
    if is_to_fill(value):
        yield key_path
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from paths_to_fill(child, key_path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_to_fill(child, key_path + (index,))


def _explain(error: jsonschema.ValidationError):
    """(key path, message, whether it is only a value still to fill) for one schema error."""
    path = tuple(error.absolute_path)
    where = dotted(path) or "the file"
    if error.validator == "required":
        missing = error.message.split("'")[1]
        description = error.schema.get("properties", {}).get(missing, {}).get("description")
        hint = f" ({description})" if description else ""
        yield path + (missing,), f"missing key '{dotted(path + (missing,))}'{hint}", True
        return
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(known)}"
                yield path + (key,), f"unknown key '{dotted(path + (key,))}'{hint}", False
    elif error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wording = " or ".join("empty (null)" if t == "null" else t for t in expected)
        yield path, f"'{where}' must be {wording}, not {_type_name(error.instance)}", False
    elif error.validator == "enum":
        options = ", ".join(repr(o) for o in error.validator_value)
        yield path, f"'{where}' must be one of {options}, not {error.instance!r}", False
    elif error.validator == "oneOf":
        yield path, f"'{where}' must match exactly one allowed form: {error.schema.get('description', _forms(error.schema))}", False
    else:
        yield path, f"'{where}': {error.message}", False


def _forms(schema: dict) -> str:
    return "; or ".join(", ".join(option.get("required", [])) for option in schema.get("oneOf", []))


def _type_name(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


def validate_project(project: Project, countries: list[str] | None = None, today: datetime.date | None = None) -> list[Problem]:
    """All problems of the shared inputs and of the selected countries' profiles."""
    problems = list(project.problems)
    if project.course:
        problems += schema_problems(project.course, _builtin_schema("course"))
    if project.glossary:
        problems += schema_problems(project.glossary, _builtin_schema("glossary"))
    hotlines = declared_hotlines([d.data for d in project.profiles.values()])
    assessment = (project.course.data.get("assessment") if project.course else None) or {}
    minimum = assessment.get("min_items_per_module", 0)
    broken_modules = set()
    for module in project.modules.values():
        found = module_problems(module)
        if any(p.severity == "error" for p in found):
            broken_modules.add(module.id)
        else:
            found += module_pause_problems(module, course_rules(project.course.data if project.course else None))
            found += materials_problems(module, project.root / MODULES_DIR, words_of(project.course.data.get("language") if project.course else None), hotlines)
        problems += found
        problems += link_problems(module, project.root / MODULES_DIR)
        problems += include_problems(module, project.root / MODULES_DIR)
        problems += privacy_problems(module.rel_path, module.body, module.body_first_line, hotlines)
        problems += item_bank_problems(module, minimum)
        if module.items:
            problems += privacy_problems(module.items.path, module.items.text, 1, hotlines)
    if project.glossary:
        problems += privacy_problems(project.glossary.path, project.glossary.text, 1, hotlines)
    problems += programme_problems(project, broken_modules)
    selected = [c for c in (countries if countries is not None else sorted(project.profiles)) if c in project.profiles]
    if project.profile_schema:
        for country in selected:
            problems += profile_problems(project.profiles[country], project.profile_schema.data, today)
    problems += case_key_problems(project, selected)
    return problems


_BLOCK_TAG = re.compile(r"\{%.*?%\}")


def joins_next_line(line: str) -> bool:
    """Text ending in a block tag: trim_blocks would remove the line break after it."""
    stripped = line.rstrip()
    return stripped.endswith("%}") and not stripped.endswith("+%}") and bool(_BLOCK_TAG.sub("", stripped).strip())


def module_problems(module: Module) -> list[Problem]:
    """A module's front matter and body against the module schema."""
    problems = schema_problems(module.meta, _builtin_schema("module"))
    for number, line in enumerate(module.body.splitlines(), module.body_first_line):
        if joins_next_line(line):
            problems.append(Problem(module.rel_path, number, "this line ends with a block tag after text, so its line break would be removed and the next line joined to it; end the tag with '+%}' to keep the break, or put the tag on a line of its own"))
    front = module.front
    if front.get("id") not in (None, module.id):
        problems.append(Problem(module.rel_path, module.meta.line_of(("id",)), f"id '{front['id']}' must equal the folder name '{module.id}'"))
    activities = front.get("activities")
    if isinstance(activities, list) and isinstance(front.get("duration"), int):
        if all(isinstance(a, dict) and isinstance(a.get("minutes"), int) for a in activities):
            total = sum(a["minutes"] for a in activities)
            if total != front["duration"]:
                problems.append(Problem(module.rel_path, module.meta.line_of(("activities",)), f"activities add up to {total} minutes but duration is {front['duration']}; make them equal"))
    return problems


def item_bank_problems(module: Module, minimum: int) -> list[Problem]:
    """The module's items.yaml against its schema, then against the bank's rules."""
    if module.items is None:
        return missing_bank_problem(module, minimum)
    found = schema_problems(module.items, _builtin_schema("items"))
    return found or bank_problems(module, minimum)


def programme_problems(project: Project, broken_modules: set[str] = frozenset()) -> list[Problem]:
    """Programmes against their schema and the modules; agendas only from modules whose front
    matter is valid (a duration written as a word is reported there, not computed with)."""
    problems = []
    primaries = []
    for programme_id, document in project.programmes.items():
        found = schema_problems(document, _builtin_schema("programme"))
        problems += found
        if found:
            continue
        if document.data.get("primary"):
            primaries.append(programme_id)
        for d, day in enumerate(document.data["days"]):
            for s, session in enumerate(day["sessions"]):
                if "module" in session and session["module"] not in project.modules:
                    key_path = ("days", d, "sessions", s, "module")
                    close = difflib.get_close_matches(session["module"], list(project.modules), n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    problems.append(Problem(document.path, document.line_of(key_path), f"unknown module '{session['module']}'{hint}"))
        taught = {s.get("module") for day in document.data["days"] for s in day["sessions"]}
        if not any(p.path == document.path for p in problems) and not taught & broken_modules:
            rules = course_rules(project.course.data if project.course else None)
            problems += programme_agenda_problems(document, {m.id: m.front for m in project.modules.values()}, rules)
    if len(project.programmes) > 1 and len(primaries) != 1:
        named = ", ".join(primaries) or "none"
        problems.append(Problem("curriculum", 0, f"exactly one programme must say 'primary: true' (the site's navigation follows it); now: {named}"))
    return problems


def profile_problems(document: YamlDocument, schema: dict, today: datetime.date | None = None) -> list[Problem]:
    """Schema problems; once the profile has the right shape (values may still be to fill),
    also broken references between its parts, an overdue review and unsourced facts."""
    problems = schema_problems(document, schema)
    if any(not p.to_fill for p in problems):
        return problems
    if problems:  # only values to fill: judge what is there
        return problems + sourcing_problems(document) + cast_problems(document)
    data = document.data
    stem = Path(document.path).stem
    if data["id"] != stem:
        problems.append(Problem(document.path, document.line_of(("id",)), f"id '{data['id']}' must equal the file name '{stem}'"))
    instruments = data["instruments"]
    references = [(("violence_law",), data["violence_law"]), (("procedure", "code"), data["procedure"]["code"])]
    for key, offence in data["offences"].items():
        for path, route in ((("offences", key), offence), (("offences", key, "other_victims"), offence.get("other_victims"))):
            if isinstance(route, dict) and route.get("typified") is True:
                references.append((path + ("instrument",), route["instrument"]))
            if isinstance(route, dict) and route.get("typified") is True and "fallback" in route:
                problems.append(Problem(document.path, document.line_of(path + ("fallback",)), f"'{dotted(path)}' is typified, so it takes no 'fallback'; what applies to victims the article does not protect goes under 'other_victims' (with 'protects')"))
    for key_path, instrument in references:
        if instrument not in instruments:
            close = difflib.get_close_matches(instrument, list(instruments), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; add it under 'instruments'"
            problems.append(Problem(document.path, document.line_of(key_path), f"'{dotted(key_path)}' names instrument '{instrument}', which is not in 'instruments'{hint}"))
    problems += review_problems(document, today or datetime.date.today())
    problems += sourcing_problems(document)
    problems += note_problems(document)
    problems += cast_problems(document)
    return problems


def cast_problems(document: YamlDocument) -> list[Problem]:
    """The language's proposed cast still standing where the country's own names belong."""
    cast = words_of(document.data.get("language"))["default_cast"]
    names = document.data.get("case_names") if isinstance(document.data.get("case_names"), dict) else {}
    return [Problem(document.path, document.line_of(("case_names", role)), f"'case_names.{role}' is still the cast 'new-country' proposes; write names common in the country (fictional, never a real person's)", "warning", f"case_names.{role}")
            for role, proposed in cast.items() if names.get(role) == proposed]


def review_problems(document: YamlDocument, today: datetime.date) -> list[Problem]:
    review = document.data["review"]
    if not review.get("reviewed_by") or not review.get("reviewed_on"):
        return [Problem(document.path, document.line_of(("review", "reviewed_by")), "no national legal specialist has reviewed this profile yet; the editions say 'pendiente de revisión jurídica nacional' until 'review.reviewed_by' and 'review.reviewed_on' name one", "warning", "review.reviewed_by")]
    try:
        reviewed = datetime.date.fromisoformat(review["reviewed_on"])
    except ValueError:
        return [Problem(document.path, document.line_of(("review", "reviewed_on")), f"'review.reviewed_on' is '{review['reviewed_on']}', which is not a date; write it as YYYY-MM-DD")]
    months = reviewed.month - 1 + review["valid_months"]
    due = datetime.date(reviewed.year + months // 12, months % 12 + 1, 1)
    if today >= due:
        return [Problem(document.path, document.line_of(("review", "reviewed_on")), f"the review of {review['reviewed_on']} is overdue since {due.isoformat()}; review the profile against its sources and update 'review'", "warning")]
    return []


def sourcing_problems(document: YamlDocument) -> list[Problem]:
    """Warn for every fact nobody verified and every source without a link."""
    problems = []
    for key_path, value in mappings_in(document.data):
        if value.get("verified") is True and (not isinstance(value.get("source"), dict) or not str(value.get("evidence") or "").strip()):
            problems.append(Problem(document.path, document.line_of(key_path + ("verified",)), f"'{dotted(key_path)}' is marked verified but has no {'source' if not isinstance(value.get('source'), dict) else 'evidence'}; give the official source and, in 'evidence', what was read and where, or set verified: false", key_path=dotted(key_path)))
        # A fact still being filled in is listed as such; "not verified" would only repeat it.
        if value.get("verified") is False and not any(paths_to_fill(value)):
            problems.append(Problem(document.path, document.line_of(key_path + ("verified",)), f"'{dotted(key_path)}' is not verified against its source", "warning", dotted(key_path)))
        source = value.get("source")
        if isinstance(source, dict) and not source.get("url") and not any(paths_to_fill(value)):
            problems.append(Problem(document.path, document.line_of(key_path + ("source",)), f"'{dotted(key_path)}.source' has no link to the official text", "warning", dotted(key_path + ("source",))))
    return problems


def note_problems(document: YamlDocument) -> list[Problem]:
    """Research notes written in a value shown to judges; they belong in 'evidence'."""
    words = words_of(document.data.get("language"))
    phrases = [p.casefold() for p in words["research_note_phrases"]]
    problems = []

    def walk(value, key_path):
        if isinstance(value, dict):
            for key, child in value.items():
                if key != "evidence":
                    walk(child, key_path + (key,))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, key_path + (index,))
        elif isinstance(value, str):
            found = next((p for p in phrases if p in value.casefold()), None)
            if found:
                problems.append(Problem(document.path, document.line_of(key_path), f"'{dotted(key_path)}' holds a research note ('{found}'); a value holds only the text judges read: move the note to the fact's 'evidence' (and the secondary source you read, if any)", key_path=dotted(key_path)))

    walk(document.data, ())
    return problems

