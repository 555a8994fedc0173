"""Stage 3, render (continued): every page of one country's edition, as Markdown.

An Edition is independent of MkDocs: pages with a participant and a trainer version, the
navigation, and the files to copy. publish.py hands it to MkDocs; handbooks read it too.
"""

from __future__ import annotations

import datetime
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from .agenda import Day, compute_agenda
from .casekeys import country_key_function
from .context import profile_context, unverified_facts
from .errors import Problem
from .load import MODULES_DIR, PROFILES_DIR, TO_FILL, Project
from .markers import fact_anchor, resolve_markers
from .render import Collector, MissingKeyUse, RenderFailure, collecting, render_module_body, render_text, sandboxed_environment, strip_trainer_blocks
from .words import labels

TEMPLATES = Path(__file__).parent / "templates"
GLOSSARY_PAGE = "glosario.md"
LEGAL_PAGE = "marco-juridico.md"
DRAFT_CLASS = "por-adaptar"


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

    @property
    def module_ids(self) -> list[str]:
        """The modules it teaches, in the order it first teaches them."""
        return list(dict.fromkeys(s.module_id for day in self.agenda for s in day.slots if s.module_id))


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
    draft: bool = False  # rendered with values still to adapt, each highlighted

    @property
    def words(self) -> dict:
        return labels(self.profile["language"])

    @property
    def date(self) -> datetime.date:
        """The date the outputs carry: SOURCE_DATE_EPOCH when set, else the profile's national
        review or, before one, its last research update; never the clock (1970-01-01 while a
        draft has neither)."""
        if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
            return datetime.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), datetime.timezone.utc).date()
        review = self.profile.get("review") if isinstance(self.profile.get("review"), dict) else {}
        for key in ("reviewed_on", "researched_on"):
            try:
                return datetime.date.fromisoformat(str(review.get(key)))
            except ValueError:
                continue
        return datetime.date(1970, 1, 1)

    @property
    def review_statement(self) -> str:
        return review_statement(self.profile, self.words)

    @property
    def unverified_count(self) -> int:
        return len(unverified_facts(self.profile))

    @property
    def primary(self) -> Programme:
        return next((p for p in self.programmes if p.primary), self.programmes[0])


def review_statement(profile: dict, words: dict) -> str:
    """'Perfil jurídico: revisado por <who> el <date>' only when a national reviewer and a date
    are named; otherwise 'Perfil jurídico: pendiente de revisión jurídica nacional'."""
    review = profile.get("review") if isinstance(profile.get("review"), dict) else {}
    by, on = review.get("reviewed_by"), review.get("reviewed_on")
    if isinstance(by, str) and isinstance(on, str) and TO_FILL not in (by, on):
        return f'{words["review_label"]}: {words["review_done"].format(by=by, date=on)}'
    return f'{words["review_label"]}: {words["review_pending"]}'


def site_marker(src_uri: str, words: dict):
    """How a site page shows an unverified fact: a small link to its row on the legal page."""
    up = "../" * src_uri.count("/")
    return lambda fact: f' [{words["unverified_link"]}]({up}{LEGAL_PAGE}#{fact_anchor(fact)} "{words["unverified_title"]}"){{ .unverified }}'


def render_page(template: str, **values) -> str:
    """One of the toolkit's own page templates (toolkit/templates/)."""
    return sandboxed_environment(TEMPLATES).get_template(template).render(**values)


def render_failure_problem(err: RenderFailure, country: str) -> Problem:
    """A template that could not render for a country, worded the same by check and build."""
    return Problem(err.template, err.line, f"{country}: {err.message}", country=country)


def missing_key_problem(use: MissingKeyUse, country: str) -> Problem:
    return Problem(use.template, use.line, f"'{use.key_path}' is not defined in {PROFILES_DIR}/{country}.yaml", key_path=use.key_path, country=country)


def programmes_of(project: Project) -> list[Programme]:
    modules = {m.id: m.front for m in project.modules.values()}
    return [
        Programme(pid, d.data["title"], d.data["audience"], d.data["description"], bool(d.data.get("primary")), compute_agenda(d.data, modules))
        for pid, d in sorted(project.programmes.items())
    ]


def render_glossary(project: Project, context: dict) -> list[tuple[str, str]]:
    """(term, definition) pairs rendered for one country, sorted as a Spanish reader expects."""
    if project.glossary is None:
        return []
    document = project.glossary
    modules_dir = project.root / MODULES_DIR
    entries = []
    for index, entry in enumerate(document.data["terms"]):
        term, definition = (
            render_text(entry[key], document.line_of(("terms", index, key)), document.path, context, modules_dir).strip()
            for key in ("term", "definition")
        )
        entries.append((term, definition))
    return sorted(entries, key=lambda pair: _sort_key(pair[0]))


def _sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case ('Órgano' sorts with 'organo')."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def module_order(project: Project, primary: Programme) -> list[str]:
    """Modules in the order the primary programme first teaches them, then the rest by id."""
    ordered = primary.module_ids
    return ordered + [m for m in sorted(project.modules) if m not in ordered]


def draft_highlight(words: dict) -> Callable[[str], Markup]:
    """How a draft shows a value still to adapt: a marked span naming the profile key."""
    return lambda key_path: Markup('<mark class="{}" title="{}">{}: {}</mark>').format(DRAFT_CLASS, key_path, words["to_adapt"], key_path)


def build_edition(project: Project, country: str, publish_handbooks: bool = False, draft: bool = False) -> Edition:
    """Render every page of a validated project for one country.

    Strict: raises RenderFailure or MissingProfileKey on the first template that cannot
    render. A draft renders every value still to fill, and every missing key, as a highlight,
    and puts a banner on each page that has one.
    """
    profile = project.profiles[country].data
    edition = Edition(country, profile, project.course.data, programmes_of(project), draft=draft)
    edition.publish_handbooks = publish_handbooks or profile.get("publish_handbooks") is True
    words = edition.words
    highlight = draft_highlight(words) if draft else None
    context = profile_context(profile, highlight)
    modules_dir = project.root / MODULES_DIR
    order = module_order(project, edition.primary)

    with collecting(Collector(placeholder=highlight) if draft else None):
        for module_id in order:
            module = project.modules[module_id]
            body = render_module_body(module, module_context(project, country, module_id, context), modules_dir)
            edition.modules[module_id] = RenderedModule(module_id, module.front, body)
            trainer = render_page("module.md.j2", module=module.front, body=Markup(body), words=words)
            edition.pages.append(Page(f"{module_id}/index.md", module.front["title"], strip_trainer_blocks(trainer), trainer, module_id))
            for asset in module.assets:
                edition.assets[f"{module_id}/{asset}"] = modules_dir / module_id / asset

        home = render_page("home.md.j2", course=edition.course, country=context, primary=edition.primary, agenda=edition.primary.agenda,
                           programmes=edition.programmes, modules=[project.modules[m].front for m in order], words=words,
                           unverified=edition.unverified_count, review=edition.review_statement)
        edition.pages.insert(0, Page("index.md", words["home"], home, home))
        for programme in edition.programmes:
            handbook = f"../handbooks/{country}-{programme.id}.pdf" if edition.publish_handbooks else None
            text = render_page("programme.md.j2", programme=programme, agenda=programme.agenda, words=words, handbook=handbook)
            edition.pages.append(Page(f"programas/{programme.id}.md", programme.title, text, text))
        legal = render_page("legal.md.j2", c=context, words=words, anchor=fact_anchor, unverified=edition.unverified_count,
                            review=edition.review_statement, evidence=False)
        edition.pages.append(Page(LEGAL_PAGE, words["legal_framework"], legal, legal))
        edition.glossary = render_glossary(project, context)
        if edition.glossary:
            text = render_page("glossary.md.j2", title=project.glossary.data["title"], entries=[(Markup(t), Markup(d)) for t, d in edition.glossary])
            edition.pages.append(Page(GLOSSARY_PAGE, project.glossary.data["title"], text, text))
    edition.pages = [_with_markers_resolved(page, words) for page in edition.pages]
    if draft:
        edition.pages = [_with_draft_banner(page, words) for page in edition.pages]
    edition.nav = _navigation(project, edition, order)
    return edition


def module_context(project: Project, country: str, module_id: str, context: dict, traced: bool = False) -> dict:
    """The country's context plus the country_key function of this module."""
    return {**context, "country_key": country_key_function(project, country, module_id, context, traced)}


def _with_markers_resolved(page: Page, words: dict) -> Page:
    """Each unverified fact marked once per page; the legal page itself lists their state instead."""
    show = None if page.src_uri == LEGAL_PAGE else site_marker(page.src_uri, words)
    return replace(page, participant=resolve_markers(page.participant, show), trainer=resolve_markers(page.trainer, show))


def _with_draft_banner(page: Page, words: dict) -> Page:
    if f'class="{DRAFT_CLASS}"' not in page.trainer:
        return page
    banner = f'!!! warning "{words["draft_banner_title"]}"\n    {words["draft_banner_text"]}\n\n'

    def with_banner(markdown: str) -> str:
        title, _, rest = markdown.partition("\n")
        return f"{title}\n\n{banner}{rest}" if title.startswith("# ") else banner + markdown

    return replace(page, participant=with_banner(page.participant), trainer=with_banner(page.trainer))


def _navigation(project: Project, edition: Edition, order: list[str]) -> list:
    words = edition.words
    nav = [{words["home"]: "index.md"}]
    for day in edition.primary.agenda:
        day_modules = dict.fromkeys(s.module_id for s in day.slots if s.module_id)
        if day_modules:
            nav.append({day.title: [{project.modules[m].front["title"]: f"{m}/index.md"} for m in day_modules]})
    others = [m for m in order if m not in edition.primary.module_ids]
    if others:
        nav.append({words["other_modules"]: [{project.modules[m].front["title"]: f"{m}/index.md"} for m in others]})
    nav.append({words["programmes"]: [{p.title: f"programas/{p.id}.md"} for p in edition.programmes]})
    nav.append({words["legal_framework"]: LEGAL_PAGE})
    if edition.glossary:
        nav.append({project.glossary.data["title"]: GLOSSARY_PAGE})
    return nav


def render_problems(project: Project, country: str, draft: bool = False) -> list[Problem]:
    """Every missing key and template error of every module and the glossary, without building.

    draft: the profile may still hold values to fill (check has listed them already).
    """
    context = profile_context(project.profiles[country].data, "«{}»".format if draft else None)
    modules_dir = project.root / MODULES_DIR
    problems = []
    renders = [lambda m=module: render_module_body(m, module_context(project, country, m.id, context), modules_dir) for module in project.modules.values()]
    renders.append(lambda: render_glossary(project, context))
    for render in renders:
        with collecting(Collector()) as collector:
            try:
                render()
            except RenderFailure as err:
                problems.append(render_failure_problem(err, country))
        problems += [missing_key_problem(use, country) for use in dict.fromkeys(collector.uses)]
    return problems
