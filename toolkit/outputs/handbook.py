"""Output 'handbooks': a printable trainer handbook per country and programme.

Rendered from the same edition as the site, trainer blocks included, as HTML that WeasyPrint
lays out on A4 with running headers, page numbers and a table of contents with page numbers.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from markupsafe import Markup

from ..agenda import timed_activities
from ..errors import Problem
from ..load import SITE_CONFIG
from ..markdown_html import markdown_to_html
from ..markers import resolve_markers
from ..pages import HANDBOOKS_URI, Edition, Programme, handbook_file_name, render_page
from ..structure import assessment_questions
from . import Artifact, Output, register

TEMPLATES = Path(__file__).parent.parent / "templates"
_DAGGER = '<sup class="unverified">†</sup>'  # explained on the cover; once per fact and chapter


def handbook_inputs(edition: Edition, programme: Programme) -> str:
    """Everything handbook_html reads, as text: equal inputs give an equal handbook."""
    return json.dumps({
        "profile": edition.profile,
        "course": edition.course,
        "programme": dataclasses.asdict(programme),
        "modules": [dataclasses.asdict(edition.modules[m]) for m in programme.module_ids],
        "legal": edition.page("legal").trainer,
        "glossary": edition.glossary,
        "draft": edition.draft,
        "date": edition.date.isoformat(),
    }, sort_keys=True, ensure_ascii=False, default=str)


def handbook_html(edition: Edition, programme: Programme, root: Path) -> str:
    """The whole handbook of one programme for one country, as one HTML document."""
    words = edition.words
    modules = []
    tests = []
    for module_id in programme.module_ids:
        rendered = edition.modules[module_id]
        front = rendered.front
        body = resolve_markers(rendered.body, lambda fact: _DAGGER)
        questions = assessment_questions(body, words)
        assessed = {n: [] for n in range(1, len(front["objectives"]) + 1)}
        for number, objectives in enumerate(front.get("assesses", []), 1):
            for objective in objectives:
                assessed.setdefault(objective, []).append(number)
        modules.append({
            "id": module_id,
            "front": front,
            "outcomes": [(n, objective, assessed[n]) for n, objective in enumerate(front["objectives"], 1)],
            "plan": _session_plan(front["activities"], programme, module_id),
            "body": markdown_to_html(body, root),
        })
        if questions:
            first = questions[0]
            tests.append({"module": front["title"], "stem": markdown_to_html(first.stem, root), "text": markdown_to_html(first.text, root),
                          "answer": markdown_to_html(first.answer, root)})
    legal = edition.page("legal").trainer
    return render_page(
        "handbook.html.j2",
        edition=edition,
        shown=edition.record,
        programme=programme,
        modules=modules,
        tests=tests,
        legal=markdown_to_html(_without_title(legal), root),
        glossary=[(markdown_to_html(resolve_markers(t, None), root), markdown_to_html(resolve_markers(d, None), root)) for t, d in edition.glossary],
        materials=sorted({item for m in modules for item in m["front"].get("materials", [])}),
        words=words,
        hw=words["handbook_words"],
        paragraphs=lambda text: [p.strip() for p in text.split("\n\n") if p.strip()],
        css=Markup((TEMPLATES / "handbook.css").read_text(encoding="utf-8")),
        created=edition.date.isoformat(),
    )


def _without_title(markdown_text: str) -> str:
    return re.sub(r"^# .*\n", "", markdown_text, count=1)


def _session_plan(activities: list[dict], programme: Programme, module_id: str) -> list[dict]:
    """Each activity with its clock time, from the module's first slot in the programme."""
    start = next(s.start for day in programme.agenda for s in day.slots if s.module_id == module_id)
    return timed_activities(start, activities)


def write_pdf(html: str, root: Path, target: Path) -> None:
    """Lay out a handbook's HTML as a PDF at target."""
    from weasyprint import HTML

    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(root)).write_pdf(target)


class Handbooks(Output):
    """One PDF per programme: on the site's handbooks/ folder when the edition publishes them,
    otherwise among the trainers' files."""

    name = "handbooks"

    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        site_config = (root / SITE_CONFIG).read_text(encoding="utf-8")
        return [
            Artifact(f"handbook {programme.id}",
                     f"{HANDBOOKS_URI}/{handbook_file_name(edition.country, programme.id)}" if edition.publish_handbooks else handbook_file_name(edition.country, programme.id),
                     edition.publish_handbooks, (handbook_inputs(edition, programme), site_config))
            for programme in edition.programmes
        ]

    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        programme = next(p for p in edition.programmes if artifact.name == f"handbook {p.id}")
        write_pdf(handbook_html(edition, programme, root), root, target)
        return []


register(Handbooks())
