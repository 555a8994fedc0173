"""Stage 1, load: read every module, profile and programme from disk, keeping lines.

Nothing here judges the content beyond "can it be read"; validate.py does that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .yamlfile import YamlDocument, YamlError, parse_yaml, read_text

MODULES_DIR = "modules"
PROFILES_DIR = "country_profiles"
CURRICULUM_DIR = "curriculum"
PROFILE_SCHEMA = f"{PROFILES_DIR}/schema.yaml"
CASE_KEYS_DIR = "case_keys"  # one file per country: the national answers to shared cases
COURSE_FILE = f"{CURRICULUM_DIR}/course.yaml"
MODULE_FILE = "index.md"
ITEMS_FILE = "items.yaml"  # a module's item bank (docs/item-bank.md)
MATERIALS_DIR = "materials"  # a module's document files: templates for the workbook, never copied to the site (docs/materials.md)
SITE_CONFIG = "mkdocs.yml"  # the shared site configuration at the project root
GLOSSARY_FILE = f"{MODULES_DIR}/glossary.yaml"

SAFE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SAFE_ID_HELP = "lowercase letters, digits and single hyphens (for example 'costa-rica')"
FRONT_MATTER_FENCE = re.compile(r"^---\s*$")


@dataclass
class Module:
    """One course module: front matter, a templated Markdown body, and the files beside it."""

    id: str
    rel_path: str  # modules/<id>/index.md
    meta: YamlDocument
    body: str
    body_first_line: int
    assets: list[str] = field(default_factory=list)  # paths relative to the module folder
    items: YamlDocument | None = None  # its item bank, when it has one
    documents: dict[str, str] = field(default_factory=dict)  # 'materials/<name>.md' -> its template text

    @property
    def front(self) -> dict:
        return self.meta.data


@dataclass
class Project:
    """Everything the build reads, gathered before anything is judged or written."""

    root: Path
    course: YamlDocument | None = None
    profile_schema: YamlDocument | None = None
    glossary: YamlDocument | None = None
    modules: dict[str, Module] = field(default_factory=dict)
    profiles: dict[str, YamlDocument] = field(default_factory=dict)
    case_keys: dict[str, YamlDocument] = field(default_factory=dict)  # country id -> its case keys
    programmes: dict[str, YamlDocument] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def load_project(root: Path) -> Project:
    """Read the whole project; unreadable files become problems, never exceptions."""
    root = root.resolve()
    project = Project(root=root)
    project.course = _load_yaml(project, root / COURSE_FILE)
    project.profile_schema = _load_yaml(project, root / PROFILE_SCHEMA)
    if (root / GLOSSARY_FILE).exists():
        project.glossary = _load_yaml(project, root / GLOSSARY_FILE)
    for path in _yaml_files(root / PROFILES_DIR):
        if project.rel(path) != PROFILE_SCHEMA and _check_id(project, path, path.stem):
            document = _load_yaml(project, path)
            if document:
                project.profiles[path.stem] = document
    for path in _yaml_files(root / CASE_KEYS_DIR):
        if _check_id(project, path, path.stem):
            document = _load_yaml(project, path)
            if document and not (root / PROFILES_DIR / path.name).is_file():
                project.problems.append(Problem(project.rel(path), 0, f"holds case keys for '{path.stem}', which has no profile {PROFILES_DIR}/{path.stem}.yaml"))
            elif document:
                project.case_keys[path.stem] = document
    for path in _yaml_files(root / CURRICULUM_DIR):
        if project.rel(path) != COURSE_FILE and _check_id(project, path, path.stem):
            document = _load_yaml(project, path)
            if document:
                project.programmes[path.stem] = document
    modules_dir = root / MODULES_DIR
    for folder in sorted(p for p in modules_dir.iterdir() if p.is_dir()) if modules_dir.is_dir() else []:
        if _check_id(project, folder, folder.name):
            module = _load_module(project, folder)
            if module:
                project.modules[module.id] = module
    return project


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _check_id(project: Project, path: Path, identifier: str) -> bool:
    if SAFE_ID.match(identifier):
        return True
    project.problems.append(Problem(project.rel(path), 0, f"'{identifier}' is not a safe id: use {SAFE_ID_HELP}"))
    return False


def _load_yaml(project: Project, path: Path) -> YamlDocument | None:
    rel = project.rel(path)
    if not path.is_file():
        project.problems.append(Problem(rel, 0, "is missing"))
        return None
    try:
        document = parse_yaml(read_text(path, rel), rel)
    except YamlError as err:
        project.problems.append(err.problem)
        return None
    if not isinstance(document.data, dict):
        project.problems.append(Problem(rel, 1, "must hold a YAML mapping (key: value lines)"))
        return None
    return document


def _load_module(project: Project, folder: Path) -> Module | None:
    path = folder / MODULE_FILE
    rel = project.rel(path)
    if not path.is_file():
        project.problems.append(Problem(project.rel(folder), 0, f"has no {MODULE_FILE}; every module folder needs one"))
        return None
    try:
        text = read_text(path, rel)
        lines = text.splitlines(keepends=True)
        if not lines or not FRONT_MATTER_FENCE.match(lines[0]):
            raise YamlError(Problem(rel, 1, "must start with YAML front matter between two '---' lines"))
        closing = next((i for i in range(1, len(lines)) if FRONT_MATTER_FENCE.match(lines[i])), None)
        if closing is None:
            raise YamlError(Problem(rel, 1, "front matter is not closed: add a '---' line after it"))
        meta = parse_yaml("".join(lines[1:closing]), rel, first_line=2)
    except YamlError as err:
        project.problems.append(err.problem)
        return None
    if not isinstance(meta.data, dict):
        project.problems.append(Problem(rel, 2, "front matter must be a YAML mapping"))
        return None
    items_path = folder / ITEMS_FILE
    items = _load_yaml(project, items_path) if items_path.is_file() else None
    assets = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p not in (path, items_path) and p.relative_to(folder).parts[0] != MATERIALS_DIR)
    documents = {}
    for document in sorted((folder / MATERIALS_DIR).glob("*.md")):
        try:
            documents[document.relative_to(folder).as_posix()] = read_text(document, project.rel(document))
        except YamlError as err:
            project.problems.append(err.problem)
    return Module(folder.name, rel, meta, "".join(lines[closing + 1 :]), closing + 2, assets, items, documents)
