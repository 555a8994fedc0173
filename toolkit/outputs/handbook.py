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

from ..agenda import session_plan
from ..errors import Problem
from ..evaluation import Evaluation, programme_evaluation
from ..itembank import Item
from ..load import SITE_CONFIG
from ..markdown_html import inline_html, markdown_to_html
from ..markers import resolve_markers
from ..materials import checklist_line, materials_of
from ..printing import write_pdf
from ..pages import HANDBOOKS_URI, Edition, Programme, handbook_file_name, render_page
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
    evaluation = programme_evaluation(edition, programme, lambda text: markdown_to_html(resolve_markers(text, lambda fact: _DAGGER), root),
                                      lambda text: inline_html(resolve_markers(text, lambda fact: _DAGGER), root))
    modules = []
    for module_id in programme.module_ids:
        rendered = edition.modules[module_id]
        front = rendered.front
        body = resolve_markers(rendered.body, lambda fact: _DAGGER)
        modules.append({
            "id": module_id,
            "front": front,
            "outcomes": [(n, objective, _assessed_by(module_id, rendered.items, n, evaluation, words)) for n, objective in enumerate(front["objectives"], 1)],
            "plan": session_plan(programme.agenda, module_id),
            "materials": [checklist_line(material, words) for material in materials_of(front)],
            "body": markdown_to_html(body, root),
        })
    legal = edition.page("legal").trainer
    return render_page(
        "handbook.html.j2",
        edition=edition,
        shown=edition.record,
        programme=programme,
        modules=modules,
        evaluation=evaluation,
        legal=markdown_to_html(_without_title(legal), root),
        glossary=[(markdown_to_html(resolve_markers(t, None), root), markdown_to_html(resolve_markers(d, None), root)) for t, d in edition.glossary],
        materials=sorted({item for m in modules for item in m["materials"]}),
        words=words,
        hw=words["handbook_words"],
        ew=words["evaluation_words"],
        paragraphs=lambda text: [p.strip() for p in text.split("\n\n") if p.strip()],
        css=Markup((TEMPLATES / "handbook.css").read_text(encoding="utf-8")),
        created=edition.date.isoformat(),
    )


def _assessed_by(module_id: str, items: tuple[Item, ...], objective: int, evaluation: Evaluation, words: dict) -> list[str]:
    """Where an objective is assessed, a group per instrument: 'Pregunta 1, 3', 'Prueba inicial 2, 5'."""
    ew = words["evaluation_words"]
    quiz = [item for item in items if item.use == "quiz"]
    groups = [(words["item_words"]["question"], [n for n, item in enumerate(quiz, 1) if item.objective == objective])]
    for label, questions in ((ew["pre_short"], evaluation.pre), (ew["post_short"], evaluation.post)):
        groups.append((label, [q.number for q in questions if q.module_id == module_id and q.objective == objective]))
    return [f"{label} {', '.join(map(str, numbers))}" for label, numbers in groups if numbers]


def _without_title(markdown_text: str) -> str:
    return re.sub(r"^# .*\n", "", markdown_text, count=1)


class Handbooks(Output):
    """One PDF per programme: on the site's handbooks/ folder when the edition publishes them,
    otherwise among the trainers' files."""

    name = "handbooks"
    job = "handbooks"  # the instruments are the handbook's own printed parts

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
