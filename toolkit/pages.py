"""Stage 3, render (continued): the course resolved once for one country and language.

resolve_edition renders every module and glossary entry once, and from that one rendering
takes the pages, the problems (missing keys, template errors, the rendering lint) and the
profile keys each module read. An Edition is independent of any output: pages with a
participant and a trainer version, the navigation, the files to copy; outputs read it.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from .agenda import Day, compute_agenda
from .casekeys import country_key_function, first_text_line
from .context import profile_context, unverified_facts
from .errors import Problem
from .itembank import NATIONAL_CASE, Item, quiz_section, rendered_items
from .load import MODULES_DIR, PROFILES_DIR, Module, Project
from .markers import fact_anchor, resolve_markers
from .render import Collector, MissingKeyUse, RenderFailure, collecting, render_module_body, render_text, sandboxed_environment, strip_trainer_blocks, untraced
from .textlint import article_names, lint_rendered, plural_names
from .words import folded, is_to_fill, labels, language_of, words_of

TEMPLATES = Path(__file__).parent / "templates"
HANDBOOKS_URI = "handbooks"  # where a site publishes its handbooks


@dataclass
class Page:
    src_uri: str  # '/'-separated path inside the site's docs
    source: str  # the project file it is made from, named by the site's quality gate
    participant: str  # Markdown without trainer-only blocks
    trainer: str  # Markdown with them
    module_id: str | None = None


@dataclass(frozen=True)
class RenderedModule:
    """A module's front matter and its body rendered for one country, trainer blocks included."""

    id: str
    front: dict
    body: str  # its assessment section (the published quiz) included
    items: tuple[Item, ...] = ()  # its whole item bank
    documents: dict[str, str] = field(default_factory=dict)  # its document files ('materials/<name>.md'), rendered for the country


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
    """The course resolved for one (country, language): the profile's view, the rendered pages,
    the programmes with their agendas. Every output reads it; nothing re-reads the profile."""

    country: str
    language: str
    profile: dict
    course: dict
    programmes: list[Programme]
    date: datetime.date  # the date outputs carry (see edition_date)
    pages: list[Page] = field(default_factory=list)
    nav: list = field(default_factory=list)
    assets: dict[str, Path] = field(default_factory=dict)  # docs path -> source file
    glossary: list[tuple[str, str]] = field(default_factory=list)  # (term, definition) Markdown
    modules: dict[str, RenderedModule] = field(default_factory=dict)
    publish_handbooks: bool = False
    draft: bool = False  # rendered with values still to adapt, each highlighted

    @property
    def key(self) -> tuple[str, str]:
        return self.country, self.language

    @property
    def words(self) -> dict:
        return labels(self.language)

    @property
    def record(self) -> dict:
        """The edition as lists and covers show it; in a draft, a value still to fill reads 'por adaptar'."""

        def shown(*keys: str) -> str:
            found = self.profile
            for key in keys:
                found = found.get(key) if isinstance(found, dict) else None
            return self.words["to_adapt"] if found is None or is_to_fill(found) else str(found)

        return {"id": self.country, "name": shown("name"), "name_full": shown("name_full"), "school": shown("judicial_school", "name"),
                "language": self.language, "label": shown("edition"), "review": self.review_statement, "draft": self.draft}

    @property
    def review_statement(self) -> str:
        return review_statement(self.profile, self.words)

    @property
    def unverified_count(self) -> int:
        return len(unverified_facts(self.profile))

    @property
    def primary(self) -> Programme:
        return next((p for p in self.programmes if p.primary), self.programmes[0])

    def page(self, slug: str) -> Page:
        """One of the pages the toolkit adds ('legal', 'glossary'), by its slug in words."""
        return next(p for p in self.pages if p.src_uri == f"{self.words['slugs'][slug]}.md")

    def programme_uri(self, programme_id: str) -> str:
        return f"{self.words['slugs']['programmes']}/{programme_id}.md"


def edition_date(profile: dict) -> datetime.date:
    """SOURCE_DATE_EPOCH when the person building sets it; else the profile's national review
    or, before one, its last research update; never the clock (1970-01-01 while a draft has neither)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return datetime.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), datetime.timezone.utc).date()
    review = profile.get("review") if isinstance(profile.get("review"), dict) else {}
    for key in ("reviewed_on", "researched_on"):
        try:
            return datetime.date.fromisoformat(str(review.get(key)))
        except ValueError:
            continue
    return datetime.date(1970, 1, 1)


def review_statement(profile: dict, words: dict) -> str:
    """'Perfil jurídico: revisado por <who> el <date>' only when a national reviewer and a date
    are named; otherwise 'Perfil jurídico: pendiente de revisión jurídica nacional'."""
    review = profile.get("review") if isinstance(profile.get("review"), dict) else {}
    by, on = review.get("reviewed_by"), review.get("reviewed_on")
    if isinstance(by, str) and isinstance(on, str) and not is_to_fill(by) and not is_to_fill(on):
        return f'{words["review_label"]}: {words["review_done"].format(by=by, date=on)}'
    return f'{words["review_label"]}: {words["review_pending"]}'


def site_marker(src_uri: str, words: dict):
    """How a site page shows an unverified fact: a small link to its row on the legal page."""
    up = "../" * src_uri.count("/")
    return lambda fact: f' [{words["unverified_link"]}]({up}{words["slugs"]["legal"]}.md#{fact_anchor(fact)} "{words["unverified_title"]}"){{ .unverified }}'


def render_page(template: str, **values) -> str:
    """One of the toolkit's own page templates (toolkit/templates/)."""
    return sandboxed_environment(TEMPLATES).get_template(template).render(**values)


def render_failure_problem(err: RenderFailure, country: str) -> Problem:
    """A template that could not render for a country, worded the same by check and build."""
    return Problem(err.template, err.line, f"{country}: {err.message}", country=country)


def missing_key_problem(use: MissingKeyUse, country: str) -> Problem:
    return Problem(use.template, use.line, f"'{use.key_path}' is not defined in {PROFILES_DIR}/{country}.yaml", key_path=use.key_path, country=country)


def programmes_of(project: Project, language: str | None = None) -> list[Programme]:
    """The programmes with their agendas; pauses and slots the programme leaves untitled take the language's words."""
    modules = {m.id: m.front for m in project.modules.values()}
    return [
        Programme(pid, d.data["title"], d.data["audience"], d.data["description"], bool(d.data.get("primary")), compute_agenda(d.data, modules, words_of(language)))
        for pid, d in sorted(project.programmes.items())
    ]


def module_order(project: Project, primary: Programme) -> list[str]:
    """Modules in the order the primary programme first teaches them, then the rest by id."""
    ordered = primary.module_ids
    return ordered + [m for m in sorted(project.modules) if m not in ordered]


def draft_highlight(words: dict) -> Callable[[str], Markup]:
    """How a draft shows a value still to adapt: a marked span naming the profile key."""
    return lambda key_path: Markup('<mark class="{}" title="{}">{}: {}</mark>').format(words["draft_class"], key_path, words["to_adapt"], key_path)


@dataclass
class Resolution:
    """What resolving one edition found: the edition (complete only without error problems),
    its problems, and the profile key paths each module's rendering read."""

    edition: Edition
    problems: list[Problem]
    keys_read: dict[str, set[str]]
    traced: list[tuple[str, str]]  # (source file, traced rendering) of each module and glossary entry, for 'check --show'


def resolve_edition(project: Project, country: str, publish_handbooks: bool = False, draft: bool = False, lint: bool = True) -> Resolution:
    """Render every page of a validated project for one country, once.

    Each module and glossary entry renders once, traced and collecting: a missing key or a
    template error becomes a problem and rendering goes on, so one run finds every problem.
    A draft shows every value still to fill as a highlight and puts a banner on each page
    that has one. lint: False when only the pages and the keys read are wanted.
    """
    profile = project.profiles[country].data
    language = language_of(profile.get("language"))
    edition = Edition(country, language, profile, project.course.data, programmes_of(project, language), edition_date(profile), draft=draft)
    edition.publish_handbooks = publish_handbooks or profile.get("publish_handbooks") is True
    words = edition.words
    highlight = draft_highlight(words) if draft else None
    context = profile_context(profile, highlight)
    modules_dir = project.root / MODULES_DIR
    names, plurals = article_names(profile), plural_names(profile)
    problems: list[Problem] = []
    keys_read: dict[str, set[str]] = {}
    traced_texts: list[tuple[str, str]] = []

    def rendered(render, where: tuple[str, int, list[str]], module_id: str | None = None) -> str:
        """One traced render: its clean text; its problems and the keys it read are recorded."""
        collector = Collector(placeholder=highlight or "«{}»".format, accessed=set())
        with collecting(collector):
            try:
                traced = render()
            except RenderFailure as err:
                problems.append(render_failure_problem(err, country))
                traced = None
        uses = list(dict.fromkeys(collector.uses))
        problems.extend(missing_key_problem(use, country) for use in uses)
        if module_id:
            keys_read.setdefault(module_id, set()).update(collector.accessed | {use.key_path for use in uses})
        if traced is None:
            return ""
        traced_texts.append((where[0], traced))
        if lint and not uses:  # a missing key is reported once, as such, not again by the lint
            problems.extend(lint_rendered(traced, country, names, draft, words, where, plurals))
        return untraced(traced)

    order = module_order(project, edition.primary)
    for module_id in order:
        module = project.modules[module_id]
        module_values = module_context(project, country, module_id, context, traced=True)
        body = rendered(lambda: render_module_body(module, module_values, modules_dir, traced=True),
                        (module.rel_path, module.body_first_line, module.body.splitlines()), module_id)
        items = rendered_items(module, _item_text_render(module, module_values, modules_dir, rendered),
                               lambda question: rendered(lambda: module_values["country_key"](NATIONAL_CASE, question), (module.items.path, 0, []), module_id))
        body = f"{body.rstrip()}\n\n{quiz_section(items, words)}" if any(item.use == "quiz" for item in items) else body
        documents = {name: rendered(lambda text=text, path=f"{MODULES_DIR}/{module_id}/{name}": render_text(text, 1, path, module_values, modules_dir, traced=True),
                                    (f"{MODULES_DIR}/{module_id}/{name}", 1, text.splitlines()), module_id)
                     for name, text in module.documents.items()}
        edition.modules[module_id] = RenderedModule(module_id, module.front, body, tuple(items), documents)
        trainer = render_page("module.md.j2", module=module.front, body=Markup(body), words=words)
        edition.pages.append(Page(f"{module_id}/index.md", module.rel_path, strip_trainer_blocks(trainer), trainer, module_id))
        for asset in module.assets:
            edition.assets[f"{module_id}/{asset}"] = modules_dir / module_id / asset
    if project.glossary:
        document = project.glossary
        entries = []
        for index, entry in enumerate(document.data["terms"]):
            term, definition = (
                rendered(lambda text=entry[key], line=document.line_of(("terms", index, key)): render_text(text, line, document.path, context, modules_dir, traced=True),
                         (document.path, document.line_of(("terms", index, key)), entry[key].splitlines())).strip()
                for key in ("term", "definition")
            )
            entries.append((term, definition))
        edition.glossary = sorted(entries, key=lambda pair: folded(pair[0]))  # 'Órgano' sorts with 'organo'

    slugs = words["slugs"]
    with collecting(Collector(placeholder=highlight) if draft else None):
        home = render_page("home.md.j2", course=edition.course, country=context, primary=edition.primary, agenda=edition.primary.agenda,
                           programmes=edition.programmes, modules=[project.modules[m].front for m in order], words=words,
                           unverified=edition.unverified_count, review=edition.review_statement, programme_uri=edition.programme_uri)
        edition.pages.insert(0, Page("index.md", "curriculum/course.yaml", home, home))
        for programme in edition.programmes:
            published = {"handbook": handbook_file_name(country, programme.id), "workbook": workbook_file_name(edition, programme.id)} if edition.publish_handbooks else {}
            text = render_page("programme.md.j2", programme=programme, agenda=programme.agenda, words=words,
                               published={kind: f"../{HANDBOOKS_URI}/{name}" for kind, name in published.items()})
            edition.pages.append(Page(edition.programme_uri(programme.id), project.programmes[programme.id].path, text, text))
        legal = render_page("legal.md.j2", c=context, words=words, anchor=fact_anchor, unverified=edition.unverified_count,
                            review=edition.review_statement, evidence=False)
        edition.pages.append(Page(f"{slugs['legal']}.md", f"{PROFILES_DIR}/{country}.yaml", legal, legal))
        if edition.glossary:
            text = render_page("glossary.md.j2", title=project.glossary.data["title"], entries=[(Markup(t), Markup(d)) for t, d in edition.glossary])
            edition.pages.append(Page(f"{slugs['glossary']}.md", project.glossary.path, text, text))
    edition.pages = [_with_markers_resolved(page, words) for page in edition.pages]
    if draft:
        edition.pages = [_with_draft_banner(page, words) for page in edition.pages]
    edition.nav = _navigation(project, edition, order)
    return Resolution(edition, problems, keys_read, traced_texts)


def _item_text_render(module: Module, values: dict, modules_dir: Path, rendered: Callable) -> Callable[[str, tuple], str]:
    """How one text of the module's items.yaml renders: through the edition's traced render, at its file line."""

    def render(text: str, key_path: tuple) -> str:
        line = first_text_line(module.items, key_path)
        return rendered(lambda: render_text(text, line, module.items.path, values, modules_dir, traced=True), (module.items.path, line, text.splitlines()), module.id)

    return render


def handbook_file_name(country: str, programme_id: str) -> str:
    return f"{country}-{programme_id}.pdf"


def workbook_file_name(edition: Edition, programme_id: str) -> str:
    return edition.words["materials_words"]["file_name"].format(country=edition.country, programme=programme_id)


def module_context(project: Project, country: str, module_id: str, context: dict, traced: bool = False) -> dict:
    """The country's context plus the country_key function of this module."""
    return {**context, "country_key": country_key_function(project, country, module_id, context, traced)}


def _with_markers_resolved(page: Page, words: dict) -> Page:
    """Each unverified fact marked once per page; the legal page itself lists their state instead."""
    show = None if page.src_uri == f"{words['slugs']['legal']}.md" else site_marker(page.src_uri, words)
    return replace(page, participant=resolve_markers(page.participant, show), trainer=resolve_markers(page.trainer, show))


def _with_draft_banner(page: Page, words: dict) -> Page:
    if f'class="{words["draft_class"]}"' not in page.trainer:
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
    nav.append({words["programmes"]: [{p.title: edition.programme_uri(p.id)} for p in edition.programmes]})
    nav.append({words["legal_framework"]: f"{words['slugs']['legal']}.md"})
    if edition.glossary:
        nav.append({project.glossary.data["title"]: f"{words['slugs']['glossary']}.md"})
    return nav
