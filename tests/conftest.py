"""Shared fixtures: throwaway course projects built from tests/fixtures/ into tmp_path."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

import build  # noqa: E402  (build.py is the command line under test)


# Test files whose every test builds sites, lays out handbooks or drives the browser.
SLOW_FILES = {"test_browser.py", "test_handbook.py", "test_determinism.py", "test_cache.py", "test_course_build.py",
              "test_hostile_input.py", "test_build_messages.py", "test_cli.py", "test_serve.py"}


def pytest_collection_modifyitems(items):
    """'make test-fast' (-m "not slow") is the edit-test loop; 'make test' runs everything."""
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


def make_project(target: Path, fixture: str = "mini") -> Path:
    """A copy of a fixture course, with the real profile schema, site config and front-end files."""
    shutil.copytree(FIXTURES / fixture, target)
    shutil.copyfile(REPO / "country_profiles" / "schema.yaml", target / "country_profiles" / "schema.yaml")
    shutil.copyfile(REPO / "mkdocs.yml", target / "mkdocs.yml")
    (target / "node_modules").symlink_to(REPO / "node_modules")
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "course")


@pytest.fixture
def run_cli():
    """Run build.py's command line in-process; returns click's Result (exit_code, stdout, stderr)."""

    def run(*args):
        return CliRunner().invoke(build.cli, [str(a) for a in args], catch_exceptions=False)

    return run


def add_country(project: Path, country: str, *replacements: tuple[str, str]) -> None:
    """A second fictional country: Arcadia's profile and case keys under another name."""
    for folder in ("country_profiles", "case_keys"):
        text = (project / folder / "arcadia.yaml").read_text(encoding="utf-8")
        for old, new in (("arcadia", country), ("Arcadia", country.capitalize()), *replacements):
            text = text.replace(old, new)
        (project / folder / f"{country}.yaml").write_text(text, encoding="utf-8")


def build_edition(project, country: str, **options):
    """A country's resolved edition, which must have rendered without an error."""
    from toolkit.pages import resolve_edition

    resolution = resolve_edition(project, country, **options)
    assert [str(p) for p in resolution.problems if p.severity == "error"] == []
    return resolution.edition


@functools.cache
def real_edition(country: str):
    """An edition of the real course, resolved once per test run (tests only read it)."""
    from toolkit.load import load_project

    return build_edition(load_project(REPO), country)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def course_build(tmp_path_factory) -> tuple[Path, Path]:
    """The real course built once, sites and handbooks: (site folder, handbooks folder)."""
    from toolkit import pipeline

    out = tmp_path_factory.mktemp("course-build")
    pipeline.build(REPO, out / "site", handbooks_dir=out / "handbooks")
    return out / "site", out / "handbooks"
