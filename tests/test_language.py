"""Every word the toolkit writes comes from its language file: a second file, no code change."""

import shutil

import pytest
import yaml

from conftest import edit
from toolkit import words
from toolkit.load import load_project
from toolkit.outputs.handbook import handbook_html
from toolkit.outputs.site import mkdocs_config
from toolkit.pages import resolve_edition

# Rules of the language rather than words shown on their own: the second file keeps Spanish's,
# since the fixture course is written in Spanish.
LANGUAGE_RULES = {"grammar", "lint", "research_note_phrases", "assessment_section"}


def _tokens(value, path=""):
    """Each word replaced by a token naming its key, keeping the {fields} it is formatted with."""
    if isinstance(value, dict):
        return {k: v if not path and k in LANGUAGE_RULES else _tokens(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_tokens(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if path.startswith("slugs."):
        return f"xx-{path[6:]}"
    fields = " ".join(f"{{{name}}}" for name in sorted(set(__import__("re").findall(r"\{(\w+)\}", str(value)))))
    return f"⟦{path}⟧{fields}"


def _leaves(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            if path or k not in LANGUAGE_RULES:
                yield from _leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, path)
    elif isinstance(value, str):
        yield value


@pytest.fixture
def second_language(tmp_path, monkeypatch):
    folder = tmp_path / "i18n"
    shutil.copytree(words.I18N, folder)
    spanish = yaml.safe_load((folder / "es.yaml").read_text(encoding="utf-8"))
    (folder / "xx.yaml").write_text(yaml.safe_dump(_tokens(spanish), allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(words, "I18N", folder)
    monkeypatch.setattr(words, "LANGUAGES", ["es", "xx"])
    words.labels.cache_clear()
    words.to_fill_markers.cache_clear()
    yield spanish
    words.labels.cache_clear()
    words.to_fill_markers.cache_clear()


def _everything_shown(project_root, country="arcadia") -> str:
    """The toolkit's own pages, the navigation, the site's header and footer and a handbook, as text."""
    project = load_project(project_root)
    edition = resolve_edition(project, country).edition
    pages = [p.participant + p.trainer for p in edition.pages if p.module_id is None]
    config = mkdocs_config(edition, project.root, project.root / "docs", project.root / "site")
    return "\n".join([*pages, str(edition.nav), str(config), *(p.src_uri for p in edition.pages), handbook_html(edition, edition.primary, project.root)])


def test_a_second_language_file_changes_every_word_the_toolkit_writes(project, second_language):
    spanish_text = _everything_shown(project)
    edit(project / "country_profiles/arcadia.yaml", "language: es", "language: xx")
    other_text = _everything_shown(project)
    # Words the course itself also writes (a module's "Pregunta", a programme's "Pausa") are not the toolkit's.
    sources = "\n".join(p.read_text(encoding="utf-8") for p in project.rglob("*") if p.suffix in (".md", ".yaml") and "schema" not in p.name)
    shown = {word for word in _leaves(second_language) if len(word) >= 5 and word in spanish_text and word not in sources}
    assert len(shown) > 40  # the Spanish edition does show the toolkit's words
    assert sorted(word for word in shown if word in other_text) == []
    assert "⟦legal_framework⟧" in other_text and "xx-legal.md" in other_text and "marco-juridico" not in other_text
