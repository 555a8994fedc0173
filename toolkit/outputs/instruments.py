"""Output 'instruments': each programme's evaluation instruments, printable, for trainers.

Two PDFs a programme: one to photocopy for participants (pre-test form A, post-test form B, the
reaction questionnaire and, in a programme with a practicum, the observation form), each
instrument on pages of its own and without keys; and one for the trainers (the keys of both
forms, the group's scoring sheet, the rubrics of the written exercises). The handbook's
evaluation chapter shows the same instruments (toolkit/evaluation.py).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from markupsafe import Markup

from ..errors import Problem
from ..evaluation import programme_evaluation
from ..load import SITE_CONFIG
from ..markdown_html import inline_html, markdown_to_html
from ..markers import resolve_markers
from ..pages import Edition, Programme, render_page
from ..printing import write_pdf
from . import Artifact, Output, register

TEMPLATES = Path(__file__).parent.parent / "templates"
AUDIENCES = ("participants", "trainers")


def instruments_inputs(edition: Edition, programme: Programme) -> str:
    """Everything the instruments read, as text: equal inputs give equal PDFs (clock times are not read)."""
    return json.dumps({
        "programme": [programme.id, programme.title, programme.module_ids],
        "modules": [dataclasses.asdict(edition.modules[m]) for m in programme.module_ids],
        "course": edition.course,
        "record": edition.record,
        "date": edition.date.isoformat(),
    }, sort_keys=True, ensure_ascii=False, default=str)


def instruments_html(edition: Edition, programme: Programme, audience: str, root: Path) -> str:
    """The participants' or the trainers' instruments of one programme, as one HTML document."""
    words = edition.words
    # Participants never see the unverified-fact marker's explanation: their sheets carry no marker.
    evaluation = programme_evaluation(edition, programme, lambda text: markdown_to_html(resolve_markers(text, None), root),
                                      lambda text: inline_html(resolve_markers(text, None), root))
    return render_page(
        "instruments.html.j2", audience=audience, edition=edition, shown=edition.record, programme=programme, evaluation=evaluation,
        words=words, hw=words["handbook_words"], ew=words["evaluation_words"],
        css=Markup((TEMPLATES / "handbook.css").read_text(encoding="utf-8")), created=edition.date.isoformat(),
    )


class Instruments(Output):
    name = "instruments"
    job = "handbooks"  # the instruments are the handbook's own printed parts

    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        ew = edition.words["evaluation_words"]
        site_config = (root / SITE_CONFIG).read_text(encoding="utf-8")
        return [
            Artifact(f"instruments {audience} {programme.id}", ew[f"{audience}_file"].format(country=edition.country, programme=programme.id),
                     False, (instruments_inputs(edition, programme), site_config))
            for programme in edition.programmes for audience in AUDIENCES
        ]

    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        programme, audience = next((p, a) for p in edition.programmes for a in AUDIENCES if artifact.name == f"instruments {a} {p.id}")
        write_pdf(instruments_html(edition, programme, audience, root), root, target)
        return []


register(Instruments())
