"""The stages in order: load, validate, render, publish. build.py only parses options and calls these."""

from __future__ import annotations

import datetime
import difflib
from pathlib import Path

from .errors import Problem, ProblemsFound, ToolkitError
from .load import PROFILES_DIR, Project, load_project
from .pages import Edition, build_edition, missing_key_problem, render_problems
from .publish import publish
from .render import MissingProfileKey, RenderFailure
from .validate import validate_project


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


def check(root: Path, countries=(), today: datetime.date | None = None) -> tuple[list[str], list[Problem]]:
    """Every problem of the shared inputs and the selected countries, without writing anything."""
    project = load_project(root)
    selected = select_countries(project, countries)
    problems = validate_project(project, selected, today)
    if not _has_errors(problems):
        for country in selected:
            problems += render_problems(project, country)
    return selected, sorted(set(problems))


def _has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def render_editions(root: Path, countries=(), publish_handbooks: bool = False) -> tuple[Project, list[Edition]]:
    """Load, validate and render the selected countries; any error stops before anything is written."""
    project = load_project(root)
    selected = select_countries(project, countries)
    problems = [p for p in validate_project(project, selected) if p.severity == "error"]
    if problems:
        raise ProblemsFound(problems)
    editions = []
    for country in selected:
        try:
            editions.append(build_edition(project, country, publish_handbooks))
        except MissingProfileKey as err:
            problems.append(missing_key_problem(err.use, country))
        except RenderFailure as err:
            problems.append(Problem(err.template, err.line, f"{country}: {err.message}"))
    if problems:
        raise ProblemsFound(problems)
    return project, editions


def build(root: Path, out_dir: Path, countries=(), handbooks_dir: Path | None = None, publish_handbooks: bool = False, progress=lambda message: None) -> list[Edition]:
    """Build sites into out_dir and, unless handbooks_dir is None, every trainer handbook."""
    progress("Loading and validating…")
    project, editions = render_editions(root, countries, publish_handbooks)
    publish(editions, project.course.data, project.root, out_dir, handbooks_dir, progress)
    return editions
