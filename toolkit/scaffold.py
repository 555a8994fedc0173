"""'new-country': write a profile that asks only for what applies to the new country.

Each key is preceded by a comment: what it is (the schema's description), which modules read
it and, for a value the scaffold did not leave to fill, when to fill it. A value a person must
write holds the language's to-fill marker ('POR COMPLETAR'), which check lists one by one.
Booleans and numbers never hold it, nor do optional values: those start as false or null (as
the schema allows), or are left out, and their comment says when to fill them. Every fact (a
mapping with 'verified') gets an 'evidence' key for what was read, where.

Offences. Each offence of the taxonomy is typified (answer 'yes'), not typified ('no') or not
known yet ('unknown'); the scaffold writes only the keys the schema requires for that state
(the offence definition's if/then in schema.yaml), so nobody is asked for the article of an
offence the country does not have, nor for a fallback beside an article. Without an answer an
offence is 'unknown': it asks least (a source and evidence of what is not known yet), claims
nothing (it renders as 'por confirmar' with the unverified marker, never as 'no offence'), and
the comment above 'typified' says what to add when the answer is found.

'--from EXISTING' keeps the source profile's structure and nothing of its law (see
KEPT_FROM_SOURCE): which keys its mappings have and how many items its lists have, but every
value that states a fact of the source country (an article, a penalty, a conduct, an
instrument's name, number and year, an institution's name, acronym, role and the grammatical
article its name takes, a hotline and its number, a procedure rule and its citation, a figure,
a decision, a treaty status, a word of national terminology, a city or a case name, a source's
title and link) starts again as to fill, or as null where optional, with the source's value in
a comment above it ('# peru: 154-B') to consult, never as a value. Its instruments are not
copied either: their keys name the source's own laws ('ley_30364'); the new profile gets the
proposed ones, with the source's listed in a comment. Whether each offence is typified is
asked as for a new profile; the source's answer is only a comment.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from pathlib import Path

import yaml

from .adaptation import modules_using
from .casekeys import key_slots, keys_file
from .errors import ToolkitError
from .files import write_atomically
from .load import MODULES_DIR, PROFILES_DIR, SAFE_ID, SAFE_ID_HELP, Project
from .pipeline import check_project
from .validate import paths_to_fill
from .words import LANGUAGES, labels

# An answer to "does the country's law typify this offence?" and the value of 'typified' it writes.
ANSWERS = {"yes": True, "no": False, "unknown": "unknown"}
DEFAULT_ANSWER = "unknown"
# Optional keys a person adds only where they apply (an article's narrower scope, a plural name).
ONLY_WHERE_THEY_APPLY = {"protects", "other_victims", "plural"}
# Optional keys of a fact that 'review import' writes from a national reviewer's worksheet, never a scaffold.
WRITTEN_BY_REVIEW = {"reviewed_by", "reviewed_on"}
# Optional keys written only for a typified offence (the later laws that changed its article).
ONLY_WHEN_TYPIFIED = {"amended_by"}
# Lists that may stay empty: a country adds an item once an official source confirms it.
START_EMPTY = {"hotlines", "statistics", "case_law"}
# Instrument keys the scaffold proposes: almost every country has a penal code and a violence law.
PROPOSED_INSTRUMENTS = ("codigo_penal", "ley_violencia")
# Values the scaffold writes whatever the country: nothing is verified yet, nobody has reviewed
# it, the school has not decided to publish its handbooks.
FIXED_VALUES = {"verified": False, "publish_handbooks": False, "valid_months": 12, "reviewed_by": None, "reviewed_on": None}
# Values that point at a proposed instrument, so they are not to fill.
PROPOSED_REFERENCES = {("violence_law",): "ley_violencia"}
# What '--from' copies: values that state nothing about the source's law, institutions or people
# (how long a review holds is the project's policy; how a case names a platform without a brand
# is the course language's). The new profile's id, name and language come from the command line.
KEPT_FROM_SOURCE = {("review", "valid_months"), ("case_names", "platform")}
# When to fill a value the scaffold leaves null (the schema's description says what it is).
NULL_NOTES = {
    "acronym": "Left null: write it only if the institution has a usual acronym.",
    "url": "Left null: write the link where one is online.",
    "short_name": "Left null: write it only if the law has a usual short name.",
    "number": "Left null: write it once read in the official text, or leave null if it has none.",
    "year": "Left null: write it once read in the official text.",
    "amended_by": "Left null: name the later laws only if any changed the article.",
    "reviewed_by": "Left null until a national legal specialist has reviewed the profile against its sources.",
    "reviewed_on": "Left null until that review.",
    "indigenous_women_service": "Left null where no public institution serves indigenous women victims; otherwise write one as an institution (name, article, role).",
}
SOURCE_NOTES = {
    "url": "Left null: write the link to the official text where one is online; check warns while there is none.",
}
# Guidance on values that are not left null, by key path or, for lists, by key.
KEY_NOTES = {
    ("violence_law",): "Proposed: the key of the violence law proposed under 'instruments'; rename both together if you like.",
    ("procedure", "code"): "Add that code under 'instruments' first (or name the penal code where one code holds both).",
}
CAST_NOTE = "Proposed: the course language's fictional cast; replace it with names common in the country (never a real person's). check warns while it stands."
LIST_NOTES = {
    "aggravating": "Write [] if the article names none.",
}


def offences_of(schema: dict) -> dict[str, str]:
    """The offences of the taxonomy: id -> the schema's description."""
    return {key: node.get("description", "") for key, node in schema["properties"]["offences"]["properties"].items()}


def offence_branches(schema: dict) -> dict[object, list[str]]:
    """The keys the schema requires of an offence in each state of 'typified' (its if/then rules)."""
    branches = {}
    for rule in schema["$defs"]["offence"].get("allOf", []):
        condition = rule.get("if", {}).get("properties", {}).get("typified", {})
        if "const" in condition:
            branches[condition["const"]] = list(rule.get("then", {}).get("required", []))
    return branches


def answer_value(answer) -> bool | str:
    """The value of 'typified' an answer writes: yes (or true), no (or false), unknown."""
    if isinstance(answer, bool):  # YAML 1.1 reads a bare yes/no as true/false
        return answer
    text = str(answer).strip().lower()
    if text in ANSWERS:
        return ANSWERS[text]
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"'{answer}' is not an answer: write yes, no or unknown")


def read_answers(path: Path, schema: dict) -> dict[str, bool | str]:
    """An answers file: a YAML mapping of offence id to yes, no or unknown. Offences it leaves out are not answered."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ToolkitError(f"{path}: cannot read the answers: {err}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ToolkitError(f"{path}: the answers must be a mapping of offence id to yes, no or unknown (for example 'ncii: yes')")
    offences = list(offences_of(schema))
    answers = {}
    for key, answer in data.items():
        if key not in offences:
            close = difflib.get_close_matches(str(key), offences, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; offences: {', '.join(offences)}"
            raise ToolkitError(f"{path}: unknown offence '{key}'{hint}")
        try:
            answers[key] = answer_value(answer)
        except ValueError as err:
            raise ToolkitError(f"{path}: '{key}': {err}") from None
    return answers


def preflight(project: Project, country: str, language: str, source: str | None = None) -> None:
    """Refuse what new_profile would refuse, before anyone answers a question."""
    if not SAFE_ID.match(country):
        raise ToolkitError(f"'{country}' is not a safe id: use {SAFE_ID_HELP}")
    if language not in LANGUAGES:
        raise ToolkitError(f"language '{language}' has no translation in toolkit/i18n/ (available: {', '.join(LANGUAGES)})")
    if (project.root / PROFILES_DIR / f"{country}.yaml").exists():
        raise ToolkitError(f"{PROFILES_DIR}/{country}.yaml already exists; edit it, or choose another id")
    if project.profile_schema is None:
        raise ToolkitError(f"{PROFILES_DIR}/schema.yaml is missing or unreadable")
    if source is not None and source not in project.profiles:
        raise ToolkitError(f"no profile {PROFILES_DIR}/{source}.yaml to start from (profiles: {', '.join(sorted(project.profiles)) or 'none'})")


def new_profile(project: Project, country: str, name: str, language: str, source: str | None = None,
                typified: dict[str, bool | str] | None = None) -> tuple[Path, int]:
    """Write country_profiles/<country>.yaml; returns its path and how many values are to fill.

    typified: offence id -> True, False or 'unknown' (see answer_value); an offence it leaves out is 'unknown'.
    """
    preflight(project, country, language, source)
    schema = project.profile_schema.data
    to_fill = labels(language)["to_fill"]
    states = {key: (typified or {}).get(key, ANSWERS[DEFAULT_ANSWER]) for key in offences_of(schema)}
    scaffold = Scaffold(schema, to_fill, states, source, project.profiles[source].data if source else None, labels(language)["default_cast"])
    data = scaffold.profile()
    data.update({"id": country, "name": name, "language": language})
    for key in ("id", "name", "language"):  # the command line's, not the source's
        scaffold.comments.pop((key,), None)
    data = {key: data[key] for key in _ordered(data, schema)}
    text = emit(data, schema, check_project(project, lint=False).usage, _header(country, source, to_fill), scaffold.notes, scaffold.comments)
    target = project.root / PROFILES_DIR / f"{country}.yaml"
    write_atomically(target, text.encode("utf-8"))
    return target, sum(1 for _ in paths_to_fill(data)) + write_case_keys(project, country, to_fill)


def write_case_keys(project: Project, country: str, to_fill: str) -> int:
    """case_keys/<country>.yaml with every key the modules ask for, each still to fill; returns how many."""
    target = project.root / keys_file(country)
    if target.exists():
        return 0
    slots = sorted({slot for module in project.modules.values() for slot in key_slots(module, project.root / MODULES_DIR)})
    lines = [f"# National answers of '{country}' to the cases and questions the modules share: module id, case id, question id.",
             "# Write each as a national trainer writes a key (offences and their elements for these facts, concurso,",
             "# protection, route), citing only the profile's articles. Placeholders and grammar filters work as in modules."]
    current: tuple[str, str] | None = None
    for slot in slots:
        if current is None or current[0] != slot.module_id:
            lines.append(f"{slot.module_id}:")
        if current != (slot.module_id, slot.case):
            lines.append(f"  {slot.case}:")
        current = (slot.module_id, slot.case)
        lines.append(f"    # asked for at {MODULES_DIR}/{slot.module_id}/index.md:{slot.line}")
        lines.append(f"    {slot.question}: {json.dumps(to_fill, ensure_ascii=False)}")
    write_atomically(target, ("\n".join(lines) + "\n").encode("utf-8"))
    return len(slots)


def _header(country: str, source: str | None, to_fill: str) -> list[str]:
    marker = json.dumps(to_fill, ensure_ascii=False)
    if source:
        origin = [f"# Country profile '{country}', started from {PROFILES_DIR}/{source}.yaml: its structure is kept, not its law.",
                  f"# Every legal value is to fill again; '# {source}: …' above a key shows {source}'s value, to consult, never to copy:",
                  "# write what this country's own law says, from its official text."]
    else:
        origin = [f"# Country profile '{country}'. Written by 'build.py new-country'."]
    return origin + [
        f"# Replace every {marker} with the country's fact and its source; 'python build.py check --country {country}'",
        "# lists what is still to fill, by module. Set 'verified: true' only after checking a fact against its source,",
        "# and say in 'evidence' what was read, where.",
        "# yaml-language-server: $schema=schema.yaml",
    ]


def _resolved(node: dict, schema: dict) -> dict:
    reference = node.get("$ref", "")
    resolved = schema["$defs"][reference.rpartition("/")[2]] if reference.startswith("#/$defs/") else {}
    return {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}


def _ordered(data: dict, node: dict) -> list:
    """data's keys in the order the schema defines them (keys it does not define last)."""
    order = list(node.get("properties", {}))
    return sorted(data, key=lambda k: order.index(k) if k in order else len(order))


def _nullable(node: dict) -> bool:
    types = node.get("type")
    return (isinstance(types, list) and "null" in types) or any(option.get("type") == "null" for option in node.get("oneOf", []))


def _is_object(node: dict) -> bool:
    return node.get("type") == "object" or "properties" in node or "additionalProperties" in node


def _one_line(value) -> str:
    """A value as a one-line comment shows it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return _one_line(value["name"]) if "name" in value else "; ".join(f"{k}: {_one_line(v)}" for k, v in value.items() if not isinstance(v, (dict, list)))
    if isinstance(value, list):
        return ", ".join(map(_one_line, value))
    return " ".join(str(value).split())


class Scaffold:
    """The values of a new profile, and the comments to write above them (by key path)."""

    def __init__(self, schema: dict, to_fill: str, states: dict, source_name: str | None = None, source: dict | None = None, cast: dict | None = None):
        self.schema, self.to_fill, self.states, self.cast = schema, to_fill, states, cast or {}
        self.source_name, self.source = source_name, source
        self.branches = offence_branches(schema)
        self.notes: dict[tuple, list[str]] = {}  # guidance, after the schema's description
        self.comments: dict[tuple, list[str]] = {}  # the source's values, just above the key

    def profile(self) -> dict:
        if self.source is None:
            return self.fresh(self.schema, "", ())
        return self.adapted(self.source, self.schema, "", ())

    def note(self, path: tuple, text: str) -> None:
        if text not in self.notes.setdefault(path, []):
            self.notes[path].append(text)

    def comment(self, path: tuple, value) -> None:
        if value is not None and value != [] and self.source_name:
            self.comments.setdefault(path, []).append(f"{self.source_name}: {_one_line(value)}")

    # A new profile: every key the schema requires, with what applies.

    def fresh(self, node: dict, key: str, path: tuple):
        node = _resolved(node, self.schema)
        if path in KEY_NOTES:
            self.note(path, KEY_NOTES[path])
        if path in PROPOSED_REFERENCES:
            return PROPOSED_REFERENCES[path]
        if key in FIXED_VALUES:
            return self.fixed(key, path)
        if key == "evidence":  # the schema's description says what to write, and when
            return None
        if path[:1] == ("case_names",) and key in self.cast:
            self.note(path, CAST_NOTE)
            return list(self.cast[key])
        if len(path) == 2 and path[0] == "offences":
            return self.offence(node, path)
        if _is_object(node) and "properties" not in node and isinstance(node.get("additionalProperties"), dict):
            return {name: self.fresh(node["additionalProperties"], name, path + (name,)) for name in PROPOSED_INSTRUMENTS}
        if _is_object(node) and "properties" in node:
            return self.mapping(node, path)
        if node.get("type") == "array":
            if key in START_EMPTY:
                self.note(path, self.empty_list_note(node))
                return []
            if key in LIST_NOTES:
                self.note(path, LIST_NOTES[key])
            return [self.fresh(node.get("items", {}), key, path + (index,)) for index in range(max(1, node.get("minItems", 1)))]
        return self.scalar(node, key, path)

    def mapping(self, node: dict, path: tuple, keys: list[str] | None = None) -> dict:
        properties = node.get("properties", {})
        required = node.get("required", [])
        if keys is None:
            keys = [k for k in properties if k in required or (k not in ONLY_WHERE_THEY_APPLY | ONLY_WHEN_TYPIFIED | WRITTEN_BY_REVIEW and self.offered(properties[k], k))]
            if "verified" in properties and "evidence" in properties and "evidence" not in keys:
                keys.append("evidence")
        value = {k: self.fresh(properties[k], k, path + (k,)) for k in _ordered(dict.fromkeys(keys), node)}
        self.no_source_note(value, properties, path)
        return value

    def no_source_note(self, value: dict, properties: dict, path: tuple) -> None:
        if "verified" in value and "source" in properties and "source" not in value:
            self.note(path + ("verified",), "No 'source' yet (optional here): add 'source: {title: …, url: …}', the official text that establishes it, before setting 'verified: true'.")

    def fixed(self, key: str, path: tuple):
        if FIXED_VALUES[key] is None:
            self.note(path, NULL_NOTES.get(key, "Left null: fill it where it applies."))
        return FIXED_VALUES[key]

    def offered(self, node: dict, key: str) -> bool:
        """Whether an optional key is written: when it has a value that asks for nothing (false, null)."""
        node = _resolved(node, self.schema)
        return key in FIXED_VALUES or key == "evidence" or _nullable(node)

    def offence(self, node: dict, path: tuple) -> dict:
        state = self.states.get(path[1], ANSWERS[DEFAULT_ANSWER])
        branch = self.branches.get(state, [])
        keys = [*node.get("required", []), *branch, "evidence", *(ONLY_WHEN_TYPIFIED if state is True else ())]
        value = self.mapping(node, path, keys)
        value["typified"] = state
        if "evidence" in branch:
            value["evidence"] = self.to_fill
            self.notes[path + ("evidence",)] = ["Required while 'typified' is unknown: what was searched, where, and what is still not known."]
        answer = next(word for word, typified in ANSWERS.items() if typified == state and type(typified) is type(state))
        forms = "; ".join(f"{_one_line(state_)}: {', '.join(needed) or 'nothing more'}" for state_, needed in self.branches.items())
        self.note(path + ("typified",), f"Answered '{answer}': only the keys for typified: {_one_line(state)} are written. If that changes, each state needs: {forms}.")
        return value

    def scalar(self, node: dict, key: str, path: tuple):
        if _nullable(node):
            self.note(path, (SOURCE_NOTES if path[-2:-1] == ("source",) else NULL_NOTES).get(key) or NULL_NOTES.get(key) or "Left null: fill it where it applies.")
            return None
        if node.get("type") == "boolean":
            return False
        if node.get("type") == "integer":
            return node.get("minimum", 0)
        return self.to_fill

    def empty_list_note(self, node: dict) -> str:
        item = _resolved(node.get("items", {}), self.schema)
        return f"Empty to start: add an item only once an official source confirms it, each with {', '.join(item.get('properties', {}))}."

    # '--from': the source's structure, none of its law.

    def adapted(self, value, node: dict, key: str, path: tuple):
        node = _resolved(node, self.schema)
        if path in KEPT_FROM_SOURCE:
            return value
        if path in KEY_NOTES:
            self.note(path, KEY_NOTES[path])
        if path in PROPOSED_REFERENCES:
            self.comment(path, value)
            return PROPOSED_REFERENCES[path]
        if key in FIXED_VALUES:
            return self.fixed(key, path)
        if len(path) == 2 and path[0] == "offences" and isinstance(value, dict):
            return self.adapted_offence(value, node, path)
        if path == ("instruments",) and isinstance(value, dict):
            self.note(path, f"The keys of {self.source_name}'s instruments name its own laws, so none is copied; they are listed just below.")
            for name, instrument in value.items():
                self.comment(path, f"{name}: {_one_line(instrument)}")
            return self.fresh(node, key, path)
        if isinstance(value, dict) and _is_object(node):
            properties = node.get("properties", {})
            keys = [k for k in value if k not in ONLY_WHERE_THEY_APPLY | WRITTEN_BY_REVIEW | {"evidence"}]
            keys += [k for k in node.get("required", []) if k not in keys]
            if "verified" in keys and "evidence" in properties:
                keys.append("evidence")
            child = (lambda k: properties.get(k, {})) if properties else (lambda k: node.get("additionalProperties") or {})
            result = {}
            for k in _ordered(dict.fromkeys(keys), node):
                if k in value and k != "evidence":
                    result[k] = self.adapted(value[k], child(k), k, path + (k,))
                else:
                    result[k] = self.fresh(child(k), k, path + (k,))
            self.no_source_note(result, properties, path)
            return result
        if isinstance(value, list) and node.get("type") == "array":
            items = node.get("items", {})
            length = max(len(value), node.get("minItems", 0), 0 if key in START_EMPTY else 1)
            if not value and key in START_EMPTY:
                self.note(path, self.empty_list_note(node))
            if key in LIST_NOTES:
                self.note(path, LIST_NOTES[key])
            if len(value) > max(1, node.get("minItems", 0)):
                self.note(path, f"As many items as {self.source_name} has ({len(value)}): remove those this country lacks, add any it has.")
            return [self.adapted(value[i], items, key, path + (i,)) if i < len(value) else self.fresh(items, key, path + (i,)) for i in range(length)]
        self.comment(path, value)
        if isinstance(value, (dict, list)):
            return self.fresh(node, key, path)
        return self.scalar(node, key, path)

    def adapted_offence(self, source: dict, node: dict, path: tuple) -> dict:
        fresh = self.offence(node, path)
        said = f"typified: {_one_line(source.get('typified'))}"
        if source.get("typified") is True and source.get("article"):
            said += f", article {_one_line(source['article'])} of {_one_line(source.get('instrument'))}"
        if source.get("protects"):
            said += f"; protects: {_one_line(source['protects'])}" + (", with other_victims" if source.get("other_victims") else "")
        self.comments.setdefault(path + ("typified",), []).append(f"{self.source_name}: {said}")
        result = {}
        for k, value in fresh.items():
            if k in ("typified", "verified", "evidence") or k not in source:
                result[k] = value
            else:
                self.notes.pop(path + (k,), None)
                result[k] = self.adapted(source[k], node["properties"][k], k, path + (k,))
        return result


def emit(data: dict, schema: dict, usage: dict[str, set[str]], header: list[str],
         notes: dict[tuple, list[str]] | None = None, comments: dict[tuple, list[str]] | None = None) -> str:
    """YAML text of data, each key preceded by its schema description, the modules that read it,
    its notes (when to fill it) and its comments (a source profile's value)."""
    lines = list(header)
    _emit_mapping(data, schema, schema, (), 0, usage, lines, notes or {}, comments or {})
    return "\n".join(lines) + "\n"


def _emit_mapping(data: dict, node: dict, schema: dict, path: tuple, indent: int, usage, lines: list[str], notes, comments, first_prefix: str = "") -> None:
    node = _resolved(node, schema)
    for index, (key, value) in enumerate(data.items()):
        child = node.get("properties", {}).get(key) or (node["additionalProperties"] if isinstance(node.get("additionalProperties"), dict) else {})
        child = _resolved(child, schema)
        key_path = path + (key,)
        dotted_path = ".".join(str(k) for k in key_path if not isinstance(k, int))
        lines += _comment(" ".join([child.get("description", "")] + notes.get(key_path, [])).strip(), modules_using(dotted_path, usage, schema), indent)
        lines += _source_comments(comments.get(key_path, []), indent)
        prefix = first_prefix if index == 0 and first_prefix else " " * indent
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            _emit_mapping(value, child, schema, key_path, indent + 2, usage, lines, notes, comments)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{prefix}{key}:")
            for number, item in enumerate(value):
                _emit_mapping(item, _resolved(child.get("items", {}), schema), schema, key_path + (number,), indent + 4, usage, lines, notes, comments, first_prefix=" " * (indent + 2) + "- ")
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}:" + ("" if value else " []"))
            for number, item in enumerate(value):
                lines += _source_comments(comments.get(key_path + (number,), []), indent + 2)
                lines.append(f"{' ' * (indent + 2)}- {json.dumps(item, ensure_ascii=False)}")
        else:
            lines.append(f"{prefix}{key}: {json.dumps(value, ensure_ascii=False)}")


def _comment(description: str, modules: list[str], indent: int) -> list[str]:
    text = description + (f" Used by: {', '.join(modules)}." if modules else "")
    if not text:
        return []
    return textwrap.wrap(text, width=100, initial_indent=" " * indent + "# ", subsequent_indent=" " * indent + "# ", break_on_hyphens=False)


def _source_comments(texts: list[str], indent: int) -> list[str]:
    """A source profile's value, to consult: '# peru: 154-B', long ones wrapped."""
    lines = []
    for text in texts:
        lines += textwrap.wrap(text, width=100, initial_indent=" " * indent + "# ", subsequent_indent=" " * indent + "#   ", break_on_hyphens=False) or [" " * indent + "#"]
    return lines
