"""The stages in order: load, validate, render, publish. build.py only parses options and calls these."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from pathlib import Path

from . import printing
from .adaptation import Report, adaptation_report, module_usage
from .casekeys import keys_file
from .context import legal_facts
from .errors import Problem, ProblemsFound, ToolkitError
from .load import PROFILES_DIR, Project, load_project
from .markers import resolve_markers
from .outputs import registered_outputs
from .pages import Edition, Resolution, render_page, resolve_edition
from .publish import CountryResult, publish
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
    resolutions: dict[tuple[str, str], Resolution]  # (country, language) -> the edition, resolved once, of each selected country that rendered

    def of_country(self, country: str) -> list[Problem]:
        """The problems found in this country's profile, its case keys, or with it."""
        return [p for p in self.problems if p.country == country or p.path in (profile_path(country), keys_file(country))]

    def editions_of(self, countries: list[str]) -> list[Edition]:
        """The resolved editions of these countries, in their order."""
        return [resolution.edition for country in countries for key, resolution in self.resolutions.items() if key[0] == country]

    def for_build(self, countries: list[str]) -> list[Problem]:
        """What a build of these countries must report: their own problems and the shared ones."""
        own = {c: set(self.of_country(c)) for c in self.countries}
        return [p for p in self.problems if not any(p in found for found in own.values()) or any(p in own[c] for c in countries)]


def check(root: Path, countries=(), today: datetime.date | None = None) -> CheckResult:
    """Every problem of the shared inputs and the selected countries, without writing anything."""
    return check_project(load_project(root), countries, today)


def check_project(project: Project, countries=(), today: datetime.date | None = None, publish_handbooks: bool = False,
                  learn_usage: bool = True, lint: bool = True) -> CheckResult:
    """Validate everything once, then resolve each country's edition once.

    A profile that only has values still to fill is rendered as a draft, so that every missing
    key of every module is found too. learn_usage: also render the complete profiles that are
    not selected, to learn which profile keys each module reads (the report and the scaffold
    need it; a preview does not). Only the selected countries are linted, and none when lint is False.
    """
    selected = select_countries(project, countries)
    everything = validate_project(project, None, today)
    # A country's own files: its profile and its case keys.
    profile_files = {path: c for c in project.profiles for path in (profile_path(c), keys_file(c))}
    problems = [p for p in everything if p.path not in profile_files or profile_files[p.path] in selected]
    shared_errors = project.profile_schema is None or any(p.severity == "error" and p.path not in profile_files for p in everything)
    resolutions, keys_read = {}, []
    for country in [] if shared_errors else sorted(project.profiles):
        own = [p for p in everything if profile_files.get(p.path) == country and p.severity == "error"]
        wanted = country in selected or (learn_usage and not own)
        if not wanted or any(not p.to_fill for p in own):
            continue
        resolution = resolve_edition(project, country, publish_handbooks, draft=bool(own), lint=lint and country in selected)
        if country in selected:
            problems += resolution.problems
            resolutions[resolution.edition.key] = resolution
        if not own:
            keys_read.append(resolution.keys_read)
    usage = module_usage(project, keys_read) if learn_usage and not shared_errors else {}
    return CheckResult(project, selected, sorted(set(problems)), usage, resolutions)


def render_editions(root: Path, countries=(), draft: bool = False) -> tuple[Project, list[Edition]]:
    """Load, validate and render the selected countries; any error stops before anything is written.

    draft: values still to fill do not stop it; they are highlighted on the pages.
    """
    project = load_project(root)
    checked = check_project(project, countries, learn_usage=False)
    errors = [p for p in checked.problems if p.severity == "error" and not (draft and p.to_fill)]
    if errors:
        raise ProblemsFound(errors)
    return project, checked.editions_of(checked.countries)


@dataclass
class BuildResult:
    countries: list[CountryResult]
    warnings: list[Problem]


def build(root: Path, out_dir: Path, countries=(), handbooks_dir: Path = Path("handbooks"), publish_handbooks: bool = False,
          draft: bool = False, progress=lambda message: None, jobs: int = 1, strict: bool = False, outputs=()) -> BuildResult:
    """Build the selected outputs (every registered one when none is named) of each country:
    public files into out_dir/<country>/, trainer-only files into handbooks_dir/<country>/,
    countries in up to `jobs` processes; what did not change since the last build is reused.

    Everything is validated and rendered once, as 'check' does (the adaptation report needs
    every country); the build stops on the errors of the shared inputs and of the requested
    countries, and on their warnings too when strict. The warnings it goes on with are returned.
    """
    chosen = registered_outputs(outputs)
    progress("Loading, validating and rendering…")
    project = load_project(root)
    selected = select_countries(project, countries)
    checked = check_project(project, publish_handbooks=publish_handbooks)
    problems = checked.for_build(selected)
    if any((p.severity == "error" or strict) and not (draft and p.to_fill) for p in problems):
        raise ProblemsFound(problems)
    editions = checked.editions_of(selected)
    course = project.course.data
    progress("Adaptation report…")
    adaptation = report_of(checked)
    titles = {m.id: m.front["title"] for m in project.modules.values()}
    programme_titles = {pid: d.data["title"] for pid, d in project.programmes.items()}
    names = {edition.country: edition.record["name"] for edition in checked.editions_of(checked.countries)}
    page = render_page("report.html.j2", report=adaptation, course=course, titles=titles, programme_titles=programme_titles,
                       names=names, rw=labels(course["language"])["report_words"])
    results = publish(editions, registered_outputs(), {o.name for o in chosen}, course, project.root, out_dir, handbooks_dir, progress, page, jobs)
    printing.prune(project.root)
    # Outputs may warn too (a question left out of the question bank); errors stopped publish.
    return BuildResult(results, [p for p in problems if p.severity == "warning"] + [p for r in results for p in r.problems])


def report(root: Path, today: datetime.date | None = None) -> Report:
    """The adaptation report of every country in the project (what check finds, by module)."""
    return report_of(check_project(load_project(root), (), today))


def report_of(result: CheckResult) -> Report:
    """The adaptation report of a check of every country."""
    schema = result.project.profile_schema.data if result.project.profile_schema else {}
    programmes = {pid: list(dict.fromkeys(s["module"] for day in d.data.get("days", []) for s in day.get("sessions", []) if "module" in s))
                  for pid, d in sorted(result.project.programmes.items())}
    facts = {c: legal_facts(result.project.profiles[c].data) for c in result.countries}
    return adaptation_report({c: result.of_country(c) for c in result.countries}, result.usage, schema, programmes, facts)


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
