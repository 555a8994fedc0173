"""Outputs are plug-ins: one registered in a test is built, cached, kept and swapped like the site."""

from pathlib import Path

import pytest

from conftest import edit
from toolkit import outputs, pipeline
from toolkit.errors import ProblemsFound, ToolkitError
from toolkit.outputs import Artifact, Output, register
from toolkit.publish import jobs_of


class Roster(Output):
    """A one-line roster of each programme's modules, for trainers; a test output."""

    name = "roster"
    writes: list[str] = []  # what it wrote, in this process
    fail = False

    def artifacts(self, edition, root):
        return [Artifact(f"roster {p.id}", f"{edition.country}-{p.id}.txt", False, (" ".join(p.module_ids), edition.record["name"]))
                for p in edition.programmes]

    def write(self, edition, artifact, target, root, work):
        if self.fail:
            raise OSError(28, "No space left on device")
        Roster.writes.append(artifact.name)
        programme = next(p for p in edition.programmes if artifact.name == f"roster {p.id}")
        target.write_text(f"{edition.record['name']}: {', '.join(programme.module_ids)}\n", encoding="utf-8")
        return []


@pytest.fixture
def roster(monkeypatch):
    monkeypatch.setattr(outputs, "_REGISTRY", dict(outputs._REGISTRY))
    Roster.writes, Roster.fail = [], False
    return register(Roster())


def build(project: Path, tmp_path: Path, **options):
    return pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["roster"], **options)


def test_a_registered_output_is_built_into_the_trainers_folder(project, tmp_path, roster):
    result = build(project, tmp_path)
    assert (tmp_path / "trainers/arcadia/arcadia-jornada.txt").read_text(encoding="utf-8") == "Arcadia: intro\n"
    assert [r.built for r in result.countries] == [["roster jornada"]]
    assert not (tmp_path / "site/arcadia/index.html").exists()  # the site was not asked for


def test_an_output_is_reused_while_its_inputs_are_unchanged(project, tmp_path, roster):
    build(project, tmp_path)
    again = build(project, tmp_path)
    assert Roster.writes == ["roster jornada"] and again.countries[0].reused == ["roster jornada"]
    edit(project / "country_profiles/arcadia.yaml", "name: Arcadia", "name: Arcadia del Sur")
    build(project, tmp_path)
    assert Roster.writes == ["roster jornada"] * 2
    assert (tmp_path / "trainers/arcadia/arcadia-jornada.txt").read_text(encoding="utf-8") == "Arcadia del Sur: intro\n"


@pytest.mark.slow  # lays out a handbook
def test_an_output_not_asked_for_is_kept_as_published(project, tmp_path, roster):
    build(project, tmp_path)
    result = pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=["handbooks"], publish_handbooks=False)
    assert "roster jornada" in result.countries[0].kept
    assert (tmp_path / "trainers/arcadia/arcadia-jornada.txt").is_file()
    assert (tmp_path / "trainers/arcadia/arcadia-jornada.pdf").is_file()


def test_a_failing_output_names_country_and_output_and_swaps_nothing(project, tmp_path, roster):
    build(project, tmp_path)
    before = (tmp_path / "trainers/arcadia/arcadia-jornada.txt").read_bytes()
    roster.fail = True
    edit(project / "country_profiles/arcadia.yaml", "name: Arcadia", "name: Arcadia del Sur")
    with pytest.raises(ProblemsFound) as err:
        build(project, tmp_path)
    assert err.value.format_message().splitlines()[0] == "arcadia: building the roster failed: OSError: [Errno 28] No space left on device"
    assert (tmp_path / "trainers/arcadia/arcadia-jornada.txt").read_bytes() == before


def test_an_unknown_output_is_named_with_the_known_ones(project, tmp_path, roster):
    known = outputs.output_names()  # the built-in ones, then the roster: outputs are added by other modules
    assert known[:4] == ["handbooks", "instruments", "questions", "site"] and known[-1] == "roster"
    with pytest.raises(ToolkitError, match=rf"^no output pizarra \(outputs: {', '.join(known)}\)$"):
        pipeline.build(project, tmp_path / "site", outputs=["pizarra"])


def test_a_build_runs_the_outputs_that_share_printed_parts_together_and_the_site_and_packages_last():
    apart, last = jobs_of(outputs.registered_outputs())
    assert [[o.name for o in job] for job in apart] == [["handbooks", "instruments"], ["questions"], ["workbook"], ["slides"]]
    assert [o.name for o in last] == ["site", "package"]
