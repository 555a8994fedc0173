"""The stages in order: load, validate, render, publish. build.py only parses options and calls these."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from pathlib import Path

from .adaptation import Report, adaptation_report, keys_by_module
from .casekeys import keys_file
from .context import profile_context
from .errors import Problem, ProblemsFound, ToolkitError
from .load import PROFILES_DIR, Project, load_project
from .markers import resolve_markers
from .pages import Edition, build_edition, missing_key_problem, render_failure_problem, render_page, render_problems
from .publish import CountryResult, publish
from .render import MissingProfileKey, RenderFailure
from .textlint import rendering_problems
from .validate import validate_project
from .words import labels


def select_countries(project: Project, countries: tuple[str, ...] | list[str]) -> list[str]:
    """The requested country ids (every profile when none is named); an unknown id is an error."""
    if not countries:
        return sorted(project.profiles)
    for country in countries:
        if country not in project.profiles:
            close = difflib.get_close_matches(country, list(project.profiles), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(sorted(project.profiles)) or "none"
            raise ToolkitError(f"no profile {PROFILES_DIR}/{country}.yaml{hint} (profiles: {known})")
    return list(dict.fromkeys(countries))


def profile_path(country: str) -> str:
    return f"{PROFILES_DIR}/{country}.yaml"


@dataclass
class CheckResult:
    project: Project
    countries: list[str]
    problems: list[Problem]
    usage: dict[str, set[str]]  # module id -> profile schema keys it reads

    def of_country(self, country: str) -> list[Problem]:
        """The problems found in this country's profile, its case keys, or with it."""
        return [p for p in self.problems if p.country == country or p.path in (profile_path(country), keys_file(country))]

    def for_build(self, countries: list[str]) -> list[Problem]:
        """What a build of these countries must report: their own problems and the shared ones."""
        own = {c: set(self.of_country(c)) for c in self.countries}
        return [p for p in self.problems if not any(p in found for found in own.values()) or any(p in own[c] for c in countries)]


def check(root: Path, countries=(), today: datetime.date | None = None) -> CheckResult:
    """Every problem of the shared inputs and the selected countries, without writing anything.

    A profile that only has values still to fill is rendered as a draft would be, so that
    every missing key of every module is found too.
    """
    return check_project(load_project(root), countries, today)


def check_project(project: Project, countries=(), today: datetime.date | None = None) -> CheckResult:
    selected = select_countries(project, countries)
    # Every profile is validated once: the selected ones are reported, and the complete ones
    # teach which profile keys each module reads.
    everything = validate_project(project, None, today)
    # A country's own files: its profile and its case keys.
    profile_files = {path: c for c in project.profiles for path in (profile_path(c), keys_file(c))}
    problems = [p for p in everything if p.path not in profile_files or profile_files[p.path] in selected]
    shared_errors = project.profile_schema is None or any(p.severity == "error" and p.path not in profile_files for p in everything)
    for country in selected:
        own = [p for p in problems if profile_files.get(p.path) == country and p.severity == "error"]
        if not shared_errors and not any(not p.to_fill for p in own):
            rendered = render_problems(project, country, draft=bool(own))
            problems += rendered
            if not rendered:
                problems += lint_editions(project, [country], draft=bool(own))
    complete = [c for c in sorted(project.profiles) if not any(profile_files.get(p.path) == c and p.severity == "error" for p in everything)]
    usage = keys_by_module(project, complete) if not shared_errors else {}
    return CheckResult(project, selected, sorted(set(problems)), usage)


def render_editions(root: Path, countries=(), publish_handbooks: bool = False, draft: bool = False) -> tuple[Project, list[Edition]]:
    """Load, validate and render the selected countries; any error stops before anything is written.

    draft: values still to fill do not stop the build; they are highlighted on the pages.
    """
    project = load_project(root)
    selected = select_countries(project, countries)
    problems = [p for p in validate_project(project, selected) if p.severity == "error" and not (draft and p.to_fill)]
    if problems:
        raise ProblemsFound(problems)
    editions = _render(project, selected, publish_handbooks, draft)
    problems = lint_editions(project, selected, draft)
    if problems:
        raise ProblemsFound(problems)
    return project, editions


def _render(project: Project, selected: list[str], publish_handbooks: bool, draft: bool) -> list[Edition]:
    """Every page of each validated country; a template that cannot render is a problem, not a traceback."""
    problems = []
    editions = []
    for country in selected:
        try:
            editions.append(build_edition(project, country, publish_handbooks, draft))
        except MissingProfileKey as err:
            problems.append(missing_key_problem(err.use, country))
        except RenderFailure as err:
            problems.append(render_failure_problem(err, country))
    if problems:
        raise ProblemsFound(problems)
    return editions


def lint_editions(project: Project, countries: list[str], draft: bool = False) -> list[Problem]:
    """The rendering lint of the given countries (see textlint)."""
    highlight = "«{}»".format if draft else None
    return rendering_problems(project, countries, lambda c: profile_context(project.profiles[c].data, highlight), draft)


@dataclass
class BuildResult:
    countries: list[CountryResult]
    warnings: list[Problem]


def build(root: Path, out_dir: Path, countries=(), handbooks_dir: Path | None = None, publish_handbooks: bool = False,
          draft: bool = False, progress=lambda message: None, jobs: int = 1, strict: bool = False) -> BuildResult:
    """Build sites into out_dir and, unless handbooks_dir is None, every trainer handbook,
    countries in up to `jobs` processes; what did not change since the last build is reused.

    Everything is checked once, as 'check' does (the adaptation report needs every country);
    the build stops on the errors of the shared inputs and of the requested countries, and on
    their warnings too when strict. The warnings it goes on with are returned.
    """
    progress("Loading and validating…")
    project = load_project(root)
    selected = select_countries(project, countries)
    checked = check_project(project)
    problems = checked.for_build(selected)
    if any((p.severity == "error" or strict) and not (draft and p.to_fill) for p in problems):
        raise ProblemsFound(problems)
    editions = _render(project, selected, publish_handbooks, draft)
    course = project.course.data
    progress("Adaptation report…")
    adaptation = report_of(checked)
    titles = {m.id: m.front["title"] for m in project.modules.values()}
    programme_titles = {pid: d.data["title"] for pid, d in project.programmes.items()}
    page = render_page("report.html.j2", report=adaptation, course=course, titles=titles, programme_titles=programme_titles,
                       rw=labels(course["language"])["report_words"])
    results = publish(editions, course, project.root, out_dir, handbooks_dir, progress, page, jobs)
    return BuildResult(results, [p for p in problems if p.severity == "warning"])


def report(root: Path, today: datetime.date | None = None) -> Report:
    """The adaptation report of every country in the project (what check finds, by module)."""
    return project_report(load_project(root), today)


def project_report(project: Project, today: datetime.date | None = None) -> Report:
    return report_of(check_project(project, (), today))


def report_of(result: CheckResult) -> Report:
    """The adaptation report of a check of every country."""
    schema = result.project.profile_schema.data if result.project.profile_schema else {}
    programmes = {pid: list(dict.fromkeys(s["module"] for day in d.data.get("days", []) for s in day.get("sessions", []) if "module" in s))
                  for pid, d in sorted(result.project.programmes.items())}
    return adaptation_report({c: result.of_country(c) for c in result.countries}, result.usage, schema, programmes)


def diff(root: Path, first: str, second: str, modules=()) -> list[tuple[str, list[str]]]:
    """(module id, unified diff lines) of two countries' renderings, trainer text included.

    Incomplete countries are compared as drafts, so a reviewer sees an adaptation in progress.
    """
    project, editions = render_editions(root, [first, second], draft=True)
    a, b = editions
    unknown = [m for m in modules if m not in project.modules]
    if unknown:
        raise ToolkitError(f"no module {', '.join(unknown)} (modules: {', '.join(sorted(project.modules))})")
    result = []
    for module_id in modules or a.modules:
        lines = list(difflib.unified_diff(
            resolve_markers(a.modules[module_id].body, None).splitlines(), resolve_markers(b.modules[module_id].body, None).splitlines(),
            f"{first}/{module_id}", f"{second}/{module_id}", lineterm="", n=0,
        ))
        result.append((module_id, lines))
    return result
