"""The model both directions of the review share: a profile's legal facts as a reviewer sees them.

A legal fact is a profile mapping with 'verified'; each is one row of the worksheet, its fields
shown as participants read them. The columns and the hidden control sheet are the format that
'review export' writes and 'review import' reads.

Row design: one row per fact, not per field, because a fact is verified as a whole against one
source. A correction names the fields it changes, one line each, as the claim column shows them
('<label>: <value>'), so a reviewer copies the line and edits it; a fact with a single field takes the
bare value. Every word the sheet shows comes from the language file (review_words).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..yamlfile import dotted, mappings_in

FORMAT = "toolkit-review-sheet"  # cell A1 of the hidden control sheet
FORMAT_VERSION = 1
CONTROL_SHEET = "toolkit"  # very hidden; not shown to reviewers
BOOKKEEPING = ("source", "verified", "evidence", "reviewed_by", "reviewed_on")
GRAMMAR_DEFS = ("#/$defs/article", "#/$defs/plural")  # how a name is written, not a legal fact
REFERENCES = {"instrument": "instruments"}  # a field that names a key of another part of the profile
ENUM_WORDS = {"protects": "protects_labels", "status": "treaty_status"}  # enum fields labelled outside review_words
ITEM_WORDS = {"offences": "offence_labels", "treaties": "treaty_labels", "procedure": "procedure_labels"}

COURSE_COLUMNS = ("key", "label", "claim", "landings", "source", "evidence", "state")
REVIEWER_COLUMNS = ("decision", "corrected", "official_source", "link", "remarks", "reviewer", "date")
COLUMNS = COURSE_COLUMNS + REVIEWER_COLUMNS + ("fingerprint",)
BULLETS = "\u2022-*\u2013\u00b7"  # a bullet, hyphen, asterisk, en dash, middle dot


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
        data = at(profile, path)
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


def at(data, path):
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


def review_words(words: dict) -> dict:
    return words["review_words"]


def _field_label(words: dict, name: str) -> str:
    return review_words(words)["fields"].get(name, name)


def _fact_label(path: tuple, data: dict, words: dict) -> str:
    rw = review_words(words)
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
    table = review_words(words).get("values", {}).get(name) or words.get(ENUM_WORDS.get(name, ""), {})
    return {str(k).lower(): v for k, v in table.items()} if isinstance(table, dict) else {}


def enum_key(value) -> str:
    return str(value).lower()


def _shown(name: str, value, words: dict, profile: dict) -> str:
    empty = review_words(words)["empty"]
    if value is None or value == "" or value == []:
        return empty
    labels = _enum_labels(words, name)
    if labels and not isinstance(value, (list, dict)):
        return labels.get(enum_key(value), str(value))
    if name in REFERENCES and isinstance(value, str):
        target = (profile.get(REFERENCES[name]) or {}).get(value)
        return str(target["name"]) if isinstance(target, dict) and isinstance(target.get("name"), str) else value
    if isinstance(value, list):
        return "\n".join(f"{BULLETS[0]} {item['name'] if isinstance(item, dict) and 'name' in item else item}" for item in value)
    return str(value)
