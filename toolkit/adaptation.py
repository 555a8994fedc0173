"""What adapting the course to a country still needs: which profile keys each module reads,
the items still to fill grouped by module, and the adaptation matrix of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2 import meta

from .errors import Problem
from .load import MODULES_DIR, Project
from .render import parsed_module

OTHER_PAGES = "other pages (home, legal framework, handbooks)"


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


def module_usage(project: Project, keys_read: list[dict[str, set[str]]]) -> dict[str, set[str]]:
    """The schema key paths each module reads: the top-level names its template mentions, and
    the key paths its renderings for valid profiles read (keys_read: one mapping per profile)."""
    schema = project.profile_schema.data
    modules_dir = project.root / MODULES_DIR
    usage = {}
    for module in project.modules.values():
        tree = parsed_module(module, modules_dir)
        names = meta.find_undeclared_variables(tree) if tree is not None else set()
        usage[module.id] = {name for name in names if name in schema.get("properties", {})}
    for read in keys_read:
        for module_id, paths in read.items():
            usage[module_id] |= {key for path in paths for key in schema_keys(path, schema)} - {""}
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
    matrix = {module: {} for module in sorted(usage, key=lambda m: (m == OTHER_PAGES, m))}
    for country, problems in problems_by_country.items():
        missing = to_fill_by_module(problems, usage, schema)
        unverified: dict[str, int] = {}
        for problem in problems:
            if problem.severity == "warning" and "not verified" in problem.message:
                # A fact no module reads still shows on the other pages (Marco jurídico, handbooks).
                for module in modules_using(problem.key_path, usage, schema) or [OTHER_PAGES]:
                    unverified[module] = unverified.get(module, 0) + 1
        for module in matrix:
            if missing.get(module):
                matrix[module][country] = Cell("missing", len(missing[module]))
            else:
                count = unverified.get(module, 0)
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


@dataclass
class Report:
    """The adaptation matrix and, per country, which programmes it can deliver now."""

    countries: list[str]
    matrix: dict[str, dict[str, Cell]]  # row -> country -> cell; rows are modules, then OTHER_PAGES
    programmes: dict[str, list[str]]  # programme id -> its modules
    blocked: dict[str, int]  # country -> errors other than values to fill (they stop any build)
    facts: dict[str, dict[str, list[str]]]  # country -> programme -> key paths of the legal facts it teaches
    unverified: dict[str, set[str]]  # country -> key paths of its facts nobody has checked yet

    def deliverable(self, country: str) -> dict[str, Verdict]:
        """programme id -> whether the country can teach it now, and how many of its facts are unverified."""
        verdicts = {}
        for programme, modules in self.programmes.items():
            cells = [self.matrix[m][country] for m in [*modules, OTHER_PAGES]]
            facts = self.facts[country][programme]
            unverified = len([f for f in facts if f in self.unverified[country]])
            if self.blocked[country]:
                verdicts[programme] = Verdict("blocked", self.blocked[country])
            elif any(c.status == "missing" for c in cells):
                verdicts[programme] = Verdict("not_deliverable", sum(c.count for c in cells if c.status == "missing"))
            elif facts and unverified == len(facts):
                verdicts[programme] = Verdict("all_unverified", unverified)
            else:
                verdicts[programme] = Verdict("ready_unverified", unverified) if unverified else Verdict("ready")
        return verdicts


@dataclass(frozen=True)
class Verdict:
    """'ready'; 'ready_unverified' (count: its unverified facts); 'all_unverified' (no fact it
    teaches has been checked: not deliverable); 'not_deliverable' (count: values still to fill);
    'blocked' (count: errors to fix before anything builds)."""

    status: str
    count: int = 0

    def __str__(self) -> str:
        return {"ready": "ready", "ready_unverified": f"ready, {self.count} unverified", "all_unverified": "not deliverable: all law unverified",
                "not_deliverable": f"not deliverable: {self.count} to fill", "blocked": f"not deliverable: {self.count} error(s) to fix"}[self.status]


def adaptation_report(problems_by_country: dict[str, list[Problem]], usage: dict[str, set[str]], schema: dict, programmes: dict[str, list[str]],
                      facts_by_country: dict[str, dict[str, bool]]) -> Report:
    """facts_by_country: each profile's legal facts (key path -> verified)."""
    rows = {**usage, OTHER_PAGES: set()}
    matrix = adaptation_matrix(problems_by_country, rows, schema)
    blocked = {c: sum(1 for p in ps if p.severity == "error" and not p.to_fill) for c, ps in problems_by_country.items()}
    # A programme teaches a fact when one of its modules reads it, or when no module does (the legal page shows it).
    taught = {c: {programme: [f for f in facts if set(modules_using(f, usage, schema) or [OTHER_PAGES]) & {*modules, OTHER_PAGES}]
                  for programme, modules in programmes.items()} for c, facts in facts_by_country.items()}
    unverified = {c: {f for f, verified in facts.items() if not verified} for c, facts in facts_by_country.items()}
    return Report(sorted(problems_by_country), matrix, programmes, blocked, taught, unverified)


def report_lines(report: Report) -> list[str]:
    """The report as a plain-text table for the terminal."""
    def cell(c: Cell) -> str:
        return c.status if c.status == "ready" else f"{c.status} ({c.count})"

    rows = list(report.matrix)
    width = max(len(r) for r in rows + ["module"]) + 2
    column = max([len(c) for c in report.countries] + [len(cell(x)) for r in rows for x in report.matrix[r].values()]) + 2
    lines = ["module".ljust(width) + "".join(c.ljust(column) for c in report.countries)]
    lines += [row.ljust(width) + "".join(cell(report.matrix[row][c]).ljust(column) for c in report.countries) for row in rows]
    lines.append("")
    lines.append("Programmes that can be delivered now:")
    for country in report.countries:
        verdicts = "; ".join(f"{p}: {v}" for p, v in report.deliverable(country).items())
        blocked = f" ({report.blocked[country]} error(s) to fix first)" if report.blocked[country] else ""
        lines.append(f"  {country}: {verdicts}{blocked}")
    return [line.rstrip() for line in lines]
