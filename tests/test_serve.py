"""serve re-renders the course before each rebuild and keeps the last good pages on an error."""

import pytest

from conftest import edit
from toolkit.errors import ProblemsFound
from toolkit.serve import render_docs


def test_a_change_to_a_module_reaches_the_preview(project, tmp_path):
    docs = tmp_path / "docs"
    render_docs(project, "arcadia", docs)
    assert "Texto final visible." in (docs / "intro/index.md").read_text(encoding="utf-8")
    edit(project / "modules/intro/index.md", "Texto final visible.", "Texto corregido.")
    render_docs(project, "arcadia", docs)
    assert "Texto corregido." in (docs / "intro/index.md").read_text(encoding="utf-8")


def test_a_broken_change_keeps_the_last_good_pages(project, tmp_path):
    docs = tmp_path / "docs"
    render_docs(project, "arcadia", docs)
    edit(project / "modules/intro/index.md", "Texto final visible.", "{{ offences.nada }}")
    with pytest.raises(ProblemsFound, match="'offences.nada' is not defined"):
        render_docs(project, "arcadia", docs)
    assert "Texto final visible." in (docs / "intro/index.md").read_text(encoding="utf-8")


def test_only_the_pages_a_change_touches_are_rewritten(project, tmp_path):
    import shutil

    shutil.copytree(project / "modules/intro", project / "modules/otro")
    edit(project / "modules/otro/index.md", "id: intro", "id: otro")
    keys = project / "case_keys/arcadia.yaml"
    keys.write_text(keys.read_text(encoding="utf-8") + keys.read_text(encoding="utf-8").split("\n", 1)[1].replace("intro:", "otro:"), encoding="utf-8")
    docs = tmp_path / "docs"
    render_docs(project, "arcadia", docs)
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    edit(project / "modules/otro/index.md", "Texto final visible.", "Texto corregido.")
    assert render_docs(project, "arcadia", docs) == ["otro/index.md"]
    after = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    assert [p.relative_to(docs).as_posix() for p in before if before[p] != after[p]] == ["otro/index.md"]
    assert render_docs(project, "arcadia", docs) == []
