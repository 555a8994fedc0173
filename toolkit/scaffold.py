"""'new-country': write a profile with every key the schema and the modules need.

Each key is preceded by a comment saying what it is (the schema's description) and which
modules read it; each value still to fill holds the language's to-fill marker ('POR COMPLETAR'), which check
lists one by one.
"""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path

from .adaptation import modules_using
from .errors import ToolkitError
from .casekeys import key_slots, keys_file
from .load import MODULES_DIR, PROFILES_DIR, SAFE_ID, SAFE_ID_HELP, Project
from .pipeline import check_project
from .validate import paths_to_fill
from .words import LANGUAGES, labels

# Keys a reviewer writes for other reviewers; a new profile starts without them.
REVIEWER_ONLY = {"evidence", "amended_by"}
# Optional keys a person adds only where they apply (an article's narrower scope, a plural name).
ONLY_WHERE_THEY_APPLY = {"protects", "other_victims", "plural"}
# Instrument keys the scaffold proposes: almost every country has a penal code and a violence law.
PROPOSED_INSTRUMENTS = ("codigo_penal", "ley_violencia")
FIXED_VALUES = {"verified": False, "publish_handbooks": False, "valid_months": 12, "reviewed_by": None, "reviewed_on": None}


def new_profile(project: Project, country: str, name: str, language: str, source: str | None = None) -> tuple[Path, int]:
    """Write country_profiles/<country>.yaml; returns its path and how many values are to fill."""
    if not SAFE_ID.match(country):
        raise ToolkitError(f"'{country}' is not a safe id: use {SAFE_ID_HELP}")
    if language not in LANGUAGES:
        raise ToolkitError(f"language '{language}' has no translation in toolkit/i18n/ (available: {', '.join(LANGUAGES)})")
    target = project.root / PROFILES_DIR / f"{country}.yaml"
    if target.exists():
        raise ToolkitError(f"{PROFILES_DIR}/{country}.yaml already exists; edit it, or choose another id")
    if project.profile_schema is None:
        raise ToolkitError(f"{PROFILES_DIR}/schema.yaml is missing or unreadable")
    schema = project.profile_schema.data
    to_fill = labels(language)["to_fill"]
    if source is not None:
        if source not in project.profiles:
            raise ToolkitError(f"no profile {PROFILES_DIR}/{source}.yaml to start from (profiles: {', '.join(sorted(project.profiles)) or 'none'})")
        data = adapted_copy(project.profiles[source].data, to_fill)
    else:
        data = skeleton(schema, schema, "", to_fill)
    data.update({"id": country, "name": name, "language": language})
    text = emit(data, schema, check_project(project).usage, header=_header(country, source, to_fill))
    target.write_text(text, encoding="utf-8")
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
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(slots)


def _header(country: str, source: str | None, to_fill: str) -> list[str]:
    origin = f"Started from {PROFILES_DIR}/{source}.yaml: every legal fact is reset to 'verified: false'." if source else "Written by 'build.py new-country'."
    return [
        f"# Country profile '{country}'. {origin}",
        f"# Replace every {json.dumps(to_fill, ensure_ascii=False)} with the country's fact and its source; 'python build.py check --country {country}'",
        "# lists what is still to fill, by module. Set 'verified: true' only after checking a fact against its source.",
        "# yaml-language-server: $schema=schema.yaml",
    ]


def adapted_copy(profile: dict, to_fill: str) -> dict:
    """An existing profile's structure and non-legal values, every legal fact unverified again."""
    data = copy.deepcopy(profile)

    def unverify(value):
        if isinstance(value, dict):
            if "verified" in value:
                value["verified"] = False
            for key in REVIEWER_ONLY & value.keys():
                del value[key]
            for child in value.values():
                unverify(child)
        elif isinstance(value, list):
            for child in value:
                unverify(child)

    unverify(data)
    for key in ("name_full", "demonym", "locale", "edition"):
        data[key] = to_fill
    data["review"] = {"reviewed_by": None, "reviewed_on": None, "valid_months": FIXED_VALUES["valid_months"], "researched_on": to_fill}
    data["publish_handbooks"] = False
    return data


def _resolved(node: dict, schema: dict) -> dict:
    reference = node.get("$ref", "")
    resolved = schema["$defs"][reference.rpartition("/")[2]] if reference.startswith("#/$defs/") else {}
    return {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}


def skeleton(node: dict, schema: dict, key: str, to_fill: str):
    """A value for every key the schema defines, to_fill where a person must write the fact."""
    node = _resolved(node, schema)
    if key in FIXED_VALUES:
        return FIXED_VALUES[key]
    if node.get("type") == "object" or "properties" in node or "additionalProperties" in node:
        if isinstance(node.get("additionalProperties"), dict) and "properties" not in node:
            return {name: skeleton(node["additionalProperties"], schema, name, to_fill) for name in PROPOSED_INSTRUMENTS}
        return {name: skeleton(child, schema, name, to_fill) for name, child in node.get("properties", {}).items() if name not in REVIEWER_ONLY | ONLY_WHERE_THEY_APPLY}
    if node.get("type") == "array":
        return [skeleton(node.get("items", {}), schema, key, to_fill) for _ in range(max(1, node.get("minItems", 1)))]
    return to_fill


def emit(data: dict, schema: dict, usage: dict[str, set[str]], header: list[str]) -> str:
    """YAML text of data, each key preceded by its schema description and the modules that read it."""
    lines = list(header)
    _emit_mapping(data, schema, schema, "", 0, usage, lines)
    return "\n".join(lines) + "\n"


def _emit_mapping(data: dict, node: dict, schema: dict, path: str, indent: int, usage, lines: list[str], first_prefix: str = "") -> None:
    node = _resolved(node, schema)
    for index, (key, value) in enumerate(data.items()):
        child = node.get("properties", {}).get(key) or (node["additionalProperties"] if isinstance(node.get("additionalProperties"), dict) else {})
        child = _resolved(child, schema)
        key_path = f"{path}.{key}" if path else key
        lines += _comment(child.get("description", ""), modules_using(key_path, usage, schema), indent)
        prefix = first_prefix if index == 0 and first_prefix else " " * indent
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            _emit_mapping(value, child, schema, key_path, indent + 2, usage, lines)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{prefix}{key}:")
            for item in value:
                _emit_mapping(item, _resolved(child.get("items", {}), schema), schema, key_path, indent + 4, usage, lines, first_prefix=" " * (indent + 2) + "- ")
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}:" + ("" if value else " []"))
            lines += [f"{' ' * (indent + 2)}- {json.dumps(item, ensure_ascii=False)}" for item in value]
        else:
            lines.append(f"{prefix}{key}: {json.dumps(value, ensure_ascii=False)}")


def _comment(description: str, modules: list[str], indent: int) -> list[str]:
    text = description + (f" Used by: {', '.join(modules)}." if modules else "")
    if not text:
        return []
    return textwrap.wrap(text, width=100, initial_indent=" " * indent + "# ", subsequent_indent=" " * indent + "# ", break_on_hyphens=False)
