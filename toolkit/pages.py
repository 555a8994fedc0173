"""Stage 3, render (continued): every page of one country's edition, as Markdown.

An Edition is independent of MkDocs: pages with a participant and a trainer version, the
navigation, and the files to copy. publish.py hands it to MkDocs; handbooks read it too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import StrictUndefined
from markupsafe import Markup

from .agenda import Day, compute_agenda
from .context import profile_context
from .errors import Problem
from .load import MODULES_DIR, PROFILES_DIR, Project
from .render import MissingKeyUse, labels, render_module_body, render_text, sandboxed_environment, strip_trainer_blocks

TEMPLATES = Path(__file__).parent / "templates"
GLOSSARY_PAGE = "glosario.md"
LEGAL_PAGE = "marco-juridico.md"


@dataclass
class Page:
    src_uri: str  # '/'-separated path inside the site's docs
    title: str
    participant: str  # Markdown without trainer-only blocks
    trainer: str  # Markdown with them
    module_id: str | None = None


@dataclass(frozen=True)
class RenderedModule:
    """A module's front matter and its body rendered for one country, trainer blocks included."""

    id: str
    front: dict
    body: str


@dataclass
class Programme:
    id: str
    title: str
    audience: str
    description: str
    primary: bool
    agenda: list[Day]


@dataclass
class Edition:
    """One country's rendering of the course, ready to publish."""

    country: str
    profile: dict
    course: dict
    programmes: list[Programme]
    pages: list[Page] = field(default_factory=list)
    nav: list = field(default_factory=list)
    assets: dict[str, Path] = field(default_factory=dict)  # docs path -> source file
    glossary: list[tuple[str, str]] = field(default_factory=list)  # (term, definition) Markdown
    modules: dict[str, RenderedModule] = field(default_factory=dict)
    publish_handbooks: bool = False

    @property
    def words(self) -> dict:
        return labels(self.profile["language"])

    @property
    def primary(self) -> Programme:
        return next((p for p in self.programmes if p.primary), self.programmes[0])


def render_page(template: str, **values) -> str:
    """One of the toolkit's own page templates (toolkit/templates/)."""
    return sandboxed_environment(TEMPLATES, StrictUndefined).get_template(template).render(**values)


def missing_key_problem(use: MissingKeyUse, country: str) -> Problem:
    return Problem(use.template, use.line, f"'{use.key_path}' is not defined in {PROFILES_DIR}/{country}.yaml")


def programmes_of(project: Project) -> list[Programme]:
    modules = {m.id: m.front for m in project.modules.values()}
    return [
        Programme(pid, d.data["title"], d.data["audience"], d.data["description"], bool(d.data.get("primary")), compute_agenda(d.data, modules))
        for pid, d in sorted(project.programmes.items())
    ]


def render_glossary(project: Project, context: dict, collect: list | None = None) -> list[tuple[str, str]]:
    """(term, definition) pairs rendered for one country, sorted as a Spanish reader expects."""
    if project.glossary is None:
        return []
    document = project.glossary
    modules_dir = project.root / MODULES_DIR
    name = Path(document.path).relative_to(MODULES_DIR).as_posix()
    entries = []
    for index, entry in enumerate(document.data["terms"]):
        term, definition = (
            render_text(entry[key], document.line_of(("terms", index, key)), name, context, modules_dir, collect).strip()
            for key in ("term", "definition")
        )
        entries.append((term, definition))
    return sorted(entries, key=lambda pair: _sort_key(pair[0]))


def _sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case ('Órgano' sorts with 'organo')."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def build_edition(project: Project, country: str, publish_handbooks: bool = False) -> Edition:
    """Render every page of a validated project for one country.

    Raises RenderFailure or MissingProfileKey on the first template that cannot render.
    """
    profile = project.profiles[country].data
    context = profile_context(profile)
    edition = Edition(country, profile, project.course.data, programmes_of(project))
    edition.publish_handbooks = publish_handbooks or bool(profile.get("publish_handbooks"))
    words = edition.words
    modules_dir = project.root / MODULES_DIR

    ordered = []
    for day in edition.primary.agenda:
        for slot in day.slots:
            if slot.module_id and slot.module_id not in ordered:
                ordered.append(slot.module_id)
    others = [m for m in sorted(project.modules) if m not in ordered]

    for module_id in ordered + others:
        module = project.modules[module_id]
        body = render_module_body(module, context, modules_dir)
        edition.modules[module_id] = RenderedModule(module_id, module.front, body)
        trainer = render_page("module.md.j2", module=module.front, body=Markup(body), words=words)
        edition.pages.append(Page(f"{module_id}/index.md", module.front["title"], strip_trainer_blocks(trainer), trainer, module_id))
        for asset in module.assets:
            edition.assets[f"{module_id}/{asset}"] = modules_dir / module_id / asset

    module_fronts = [project.modules[m].front for m in ordered + others]
    home = render_page("home.md.j2", course=edition.course, country=profile, primary=edition.primary, agenda=edition.primary.agenda,
                       programmes=edition.programmes, modules=module_fronts, words=words)
    edition.pages.insert(0, Page("index.md", words["home"], home, home))
    for programme in edition.programmes:
        handbook = f"../handbooks/{country}-{programme.id}.pdf" if edition.publish_handbooks else None
        text = render_page("programme.md.j2", programme=programme, agenda=programme.agenda, words=words, handbook=handbook)
        edition.pages.append(Page(f"programas/{programme.id}.md", programme.title, text, text))
    legal = render_page("legal.md.j2", c=context, words=words)
    edition.pages.append(Page(LEGAL_PAGE, words["legal_framework"], legal, legal))
    edition.glossary = render_glossary(project, context)
    if edition.glossary:
        text = render_page("glossary.md.j2", title=project.glossary.data["title"], entries=[(Markup(t), Markup(d)) for t, d in edition.glossary])
        edition.pages.append(Page(GLOSSARY_PAGE, project.glossary.data["title"], text, text))

    edition.nav = [{words["home"]: "index.md"}]
    for day in edition.primary.agenda:
        day_modules = [s.module_id for s in day.slots if s.module_id]
        entries = [{project.modules[m].front["title"]: f"{m}/index.md"} for m in dict.fromkeys(day_modules)]
        if entries:
            edition.nav.append({day.title: entries})
    if others:
        edition.nav.append({words["other_modules"]: [{project.modules[m].front["title"]: f"{m}/index.md"} for m in others]})
    edition.nav.append({words["programmes"]: [{p.title: f"programas/{p.id}.md"} for p in edition.programmes]})
    edition.nav.append({words["legal_framework"]: LEGAL_PAGE})
    if edition.glossary:
        edition.nav.append({project.glossary.data["title"]: GLOSSARY_PAGE})
    return edition


def render_problems(project: Project, country: str) -> list[Problem]:
    """Every missing key and template error of every module for one country, without building."""
    profile = project.profiles[country].data
    context = profile_context(profile)
    modules_dir = project.root / MODULES_DIR
    problems = []
    renders = [lambda uses, m=module: render_module_body(m, context, modules_dir, collect=uses) for module in project.modules.values()]
    renders.append(lambda uses: render_glossary(project, context, collect=uses))
    for render in renders:
        uses: list[MissingKeyUse] = []
        try:
            render(uses)
        except RenderFailure as err:
            problems.append(Problem(err.template, err.line, err.message))
        problems += [missing_key_problem(use, country) for use in dict.fromkeys(uses)]
    return problems

