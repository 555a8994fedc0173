"""Incremental builds: an output is reused exactly when none of its inputs changed."""

import pytest

from conftest import add_country, edit
from toolkit import cache, pipeline


@pytest.fixture
def course(project):
    """Two countries and two programmes; module 'extra' is taught only in 'taller'."""
    keys = project / "case_keys/arcadia.yaml"
    keys.write_text(keys.read_text(encoding="utf-8") + keys.read_text(encoding="utf-8").split("\n", 1)[1].replace("intro:", "extra:"), encoding="utf-8")
    add_country(project, "beocia")
    extra = (project / "modules/intro/index.md").read_text(encoding="utf-8").replace("id: intro", "id: extra").replace("title: Introducción", "title: Extra")
    (project / "modules/extra").mkdir()
    (project / "modules/extra/index.md").write_text(extra, encoding="utf-8")
    edit(project / "curriculum/jornada.yaml", "days:", "primary: true\ndays:")
    taller = (project / "curriculum/jornada.yaml").read_text(encoding="utf-8").replace("primary: true\n", "").replace("module: intro", "module: extra")
    (project / "curriculum/taller.yaml").write_text(taller, encoding="utf-8")
    return project


def build(course, tmp_path):
    results = pipeline.build(course, tmp_path / "site", handbooks_dir=tmp_path / "hb").countries
    return {r.country: (sorted(r.built), sorted(r.reused)) for r in results}


QUESTIONS = ["questions gift", "questions xml"]
# The printed instruments and the participant workbook: neither reads the clock times.
INSTRUMENTS = {p: [f"instruments participants {p}", f"instruments trainers {p}", f"workbook {p}"] for p in ("jornada", "taller")}
SLIDES = ["slides extra", "slides intro"]  # a deck per module
PACKAGES = ["package", "package trainers"]  # packed from everything else: rebuilt whenever anything is
EVERYTHING = sorted(["handbook jornada", "handbook taller", *INSTRUMENTS["jornada"], *INSTRUMENTS["taller"], *QUESTIONS, *SLIDES, "site", *PACKAGES])


def test_nothing_changed_reuses_everything(course, tmp_path):
    assert build(course, tmp_path) == {c: (EVERYTHING, []) for c in ("arcadia", "beocia")}
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "course" not in p.parts}
    assert build(course, tmp_path) == {c: ([], EVERYTHING) for c in ("arcadia", "beocia")}
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "course" not in p.parts} == before


def test_a_profile_change_rebuilds_only_that_country(course, tmp_path):
    build(course, tmp_path)
    edit(course / "country_profiles/beocia.yaml", "penalty: dos a cinco años", "penalty: tres a seis años")
    # No item of the bank shows the penalty: the question bank stays as it was.
    rebuilt = sorted(set(EVERYTHING) - set(QUESTIONS))
    assert build(course, tmp_path) == {"arcadia": ([], EVERYTHING), "beocia": (rebuilt, QUESTIONS)}
    assert "tres a seis años" in (tmp_path / "site/beocia/intro/index.html").read_text(encoding="utf-8")


def test_a_module_change_rebuilds_the_sites_and_only_the_handbooks_that_teach_it(course, tmp_path):
    build(course, tmp_path)
    edit(course / "modules/extra/index.md", "Texto final visible.", "Texto final revisado.")
    # The changed text is not in the item bank: the question bank stays as it was.
    rebuilt = (sorted(["handbook taller", *INSTRUMENTS["taller"], "slides extra", "site", *PACKAGES]),
               sorted(["handbook jornada", *INSTRUMENTS["jornada"], *QUESTIONS, "slides intro"]))
    assert build(course, tmp_path) == {"arcadia": rebuilt, "beocia": rebuilt}


def test_a_programme_change_rebuilds_its_handbooks_and_the_sites(course, tmp_path):
    build(course, tmp_path)
    edit(course / "curriculum/jornada.yaml", 'start: "09:00"\n    end: "10:15"', 'start: "08:00"\n    end: "09:15"')
    # The questions, the instruments and the decks do not depend on the clock times.
    rebuilt = (sorted(["handbook jornada", "site", *PACKAGES]), sorted(["handbook taller", *INSTRUMENTS["jornada"], *INSTRUMENTS["taller"], *QUESTIONS, *SLIDES]))
    assert build(course, tmp_path) == {"arcadia": rebuilt, "beocia": rebuilt}


def test_shared_configuration_and_engine_changes_rebuild_everything(course, tmp_path, monkeypatch):
    build(course, tmp_path)
    edit(course / "mkdocs.yml", "primary: indigo", "primary: teal")
    assert build(course, tmp_path) == {c: (EVERYTHING, []) for c in ("arcadia", "beocia")}
    monkeypatch.setattr(cache, "toolkit_fingerprint", lambda: "another version of the toolkit")
    assert build(course, tmp_path) == {c: (EVERYTHING, []) for c in ("arcadia", "beocia")}


def test_a_missing_output_is_built_again(course, tmp_path):
    build(course, tmp_path)
    (tmp_path / "hb/arcadia/arcadia-taller.pdf").unlink()
    assert build(course, tmp_path)["arcadia"] == (["handbook taller"], sorted(set(EVERYTHING) - {"handbook taller"}))


def test_parallel_builds_give_the_same_bytes_as_serial(course, tmp_path):
    serial = pipeline.build(course, tmp_path / "serial", handbooks_dir=tmp_path / "hs", jobs=1)
    parallel = pipeline.build(course, tmp_path / "parallel", handbooks_dir=tmp_path / "hp", jobs=2)
    assert sorted(r.country for r in serial.countries) == sorted(r.country for r in parallel.countries)

    def files(folder):
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    assert files(tmp_path / "serial") == files(tmp_path / "parallel")
    assert files(tmp_path / "hs") == files(tmp_path / "hp")
