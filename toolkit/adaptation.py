"""What adapting the course to a country still needs: which profile keys each module reads,
the items still to fill grouped by module, and the adaptation matrix of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2 import meta

from .context import profile_context
from .errors import Problem
from .load import MODULES_DIR, Project
from .render import Collector, RenderFailure, collecting, render_module_body, sandboxed_environment

OTHER_PAGES = "other pages (home, Marco jurídico, handbooks)"


# Values the context derives (context.py), and the profile keys they are made of.
DERIVED_FROM = {"citation": ("article", "instrument"), "status_label": ("status",)}


def schema_keys(key_path: str, schema: dict) -> set[str]:
    """The profile keys a template key path reads: itself, or what a derived value is made of."""
    parent, _, last = key_path.rpartition(".")
    if last in DERIVED_FROM and parent:
        return {schema_key(f"{parent}.{source}", schema) for source in DERIVED_FROM[last]}
    return {schema_key(key_path, schema)}


def schema_key(key_path: str, schema: dict) -> str:
    """The deepest part of key_path the profile schema defines ('offences.ncii.instrument.name' is 'offences.ncii.instrument')."""
    node, kept = schema, []
    for part in re.sub(r"\[\d+\]", "", key_path).split("."):
        node = _resolved(node, schema)
        if node.get("type") == "array":
            node = _resolved(node.get("items", {}), schema)
        if part in node.get("properties", {}):
            node = node["properties"][part]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            break
        kept.append(part)
    return ".".join(kept)


def _resolved(node: dict, schema: dict) -> dict:
    reference = node.get("$ref", "")
    return schema["$defs"][reference.rpartition("/")[2]] if reference.startswith("#/$defs/") else node


def keys_by_module(project: Project, countries: list[str]) -> dict[str, set[str]]:
    """The schema key paths each module reads, learned by rendering it for the given profiles
    (which must be valid) and from the top-level names its template mentions."""
    schema = project.profile_schema.data
    modules_dir = project.root / MODULES_DIR
    environment = sandboxed_environment(modules_dir)
    usage = {}
    for module in project.modules.values():
        names = meta.find_undeclared_variables(environment.parse(module.body))
        usage[module.id] = {name for name in names if name in schema.get("properties", {})}
    for country in countries:
        context = profile_context(project.profiles[country].data)
        for module in project.modules.values():
            with collecting(Collector(accessed=set())) as collector:
                try:
                    render_module_body(module, context, modules_dir)
                except RenderFailure:
                    pass  # check reports it; usage keeps what was read before it
            read = collector.accessed | {use.key_path for use in collector.uses}
            usage[module.id] |= {key for path in read for key in schema_keys(path, schema)} - {""}
    # 'a.b' read on the way to 'a.b.c' is not a use of all of 'a.b'.
    return {module: {k for k in keys if not any(other.startswith(k + ".") for other in keys)} for module, keys in usage.items()}


def modules_using(key_path: str, usage: dict[str, set[str]], schema: dict) -> list[str]:
    """The modules that read key_path, a part of it or something inside it."""
    key = schema_key(key_path, schema) or key_path
    return sorted(m for m, keys in usage.items() if any(key == u or key.startswith(u + ".") or u.startswith(key + ".") for u in keys))


def to_fill_by_module(problems: list[Problem], usage: dict[str, set[str]], schema: dict) -> dict[str, list[Problem]]:
    """Items still to fill, under each module that needs them; the rest under OTHER_PAGES."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        if not problem.to_fill:
            continue
        owner = problem.path.split("/")[1] if problem.path.startswith(f"{MODULES_DIR}/") and problem.path.endswith("/index.md") else None
        for module in [owner] if owner else modules_using(problem.key_path, usage, schema) or [OTHER_PAGES]:
            groups.setdefault(module, []).append(problem)
    return groups


@dataclass(frozen=True)
class Cell:
    status: str  # "ready", "missing" or "unverified"
    count: int = 0


def adaptation_matrix(problems_by_country: dict[str, list[Problem]], usage: dict[str, set[str]], schema: dict) -> dict[str, dict[str, Cell]]:
    """module -> country -> Cell: missing (values still to fill) first, then unverified facts."""
    matrix = {module: {} for module in sorted(usage)}
    for country, problems in problems_by_country.items():
        missing = to_fill_by_module(problems, usage, schema)
        unverified = [p for p in problems if p.severity == "warning" and "not verified" in p.message]
        for module in matrix:
            if missing.get(module):
                matrix[module][country] = Cell("missing", len(missing[module]))
            else:
                count = sum(1 for p in unverified if module in modules_using(p.key_path, usage, schema))
                matrix[module][country] = Cell("unverified", count) if count else Cell("ready")
    return matrix


def to_fill_lines(country_file: str, problems: list[Problem], usage: dict[str, set[str]], schema: dict) -> list[str]:
    """The items still to fill of one profile, grouped by the module that needs them, with counts."""
    groups = to_fill_by_module(problems, usage, schema)
    if not groups:
        return []
    total = len({(p.path, p.line, p.message) for p in problems if p.to_fill})
    lines = [f"{country_file}: {total} item(s) still to fill, by module:"]
    for module in sorted(groups, key=lambda m: (m == OTHER_PAGES, m)):
        items = sorted(set(groups[module]))
        lines.append(f"  {module} ({len(items)}):")
        lines += [f"    {item}" for item in items]
    return lines
