"""The offline package: a zip of an edition's site and what it may carry, and the trainers' zip
with everything, each with a SHA-256 manifest; built last, from what the other outputs staged."""

import hashlib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, build_edition, edit
from toolkit import outputs, pipeline
from toolkit.load import load_project
from toolkit.outputs import Artifact, Output, register, registered_outputs

MANIFEST, NOTE = "SHA256SUMS.txt", "LEEME.txt"


class Handout(Output):
    """A test output: public only when the edition publishes trainer material, like the handbooks."""

    name = "handout"

    def artifacts(self, edition, root):
        return [Artifact("handout", "handouts/handout.txt", edition.publish_handbooks, (edition.record["name"],))]

    def write(self, edition, artifact, target, root, work):
        target.write_text(f"HANDOUT {edition.record['name']}\n", encoding="utf-8")
        return []


class Key(Output):
    """A test output: an answer key, always for trainers only."""

    name = "key"

    def artifacts(self, edition, root):
        return [Artifact("key", f"{edition.country}-clave.txt", False, (edition.record["name"],))]

    def write(self, edition, artifact, target, root, work):
        target.write_text(f"KEY {edition.record['name']}\n", encoding="utf-8")
        return []


@pytest.fixture
def packed_outputs(monkeypatch):
    monkeypatch.setattr(outputs, "_REGISTRY", dict(outputs._REGISTRY))
    register(Handout())
    register(Key())


def build(project: Path, tmp_path: Path, names=("handout", "key", "package"), **options):
    return pipeline.build(project, tmp_path / "site", handbooks_dir=tmp_path / "trainers", outputs=list(names), **options)


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def public_zip(tmp_path: Path) -> Path:
    return tmp_path / "site/arcadia/arcadia-T-1-sin-conexion.zip"


def trainers_zip(tmp_path: Path) -> Path:
    return tmp_path / "trainers/arcadia/arcadia-T-1-formadores.zip"


def assert_manifest_matches(entries: dict[str, bytes]) -> None:
    """Every file of the zip but the manifest is listed with its SHA-256, and nothing else is."""
    top = next(iter(entries)).split("/")[0]
    listed = {}
    for line in entries[f"{top}/{MANIFEST}"].decode("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {name.removeprefix(f"{top}/"): data for name, data in entries.items() if name != f"{top}/{MANIFEST}"}
    assert listed == {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def test_packages_come_after_every_other_output(packed_outputs):
    assert [o.name for o in registered_outputs()][-2:] == ["site", "package"]


def test_the_public_zip_holds_no_trainer_file_and_the_trainers_zip_holds_them_all(project, tmp_path, packed_outputs):
    build(project, tmp_path)
    public = read_zip(public_zip(tmp_path))
    assert sorted(public) == ["arcadia-T-1-sin-conexion/LEEME.txt", "arcadia-T-1-sin-conexion/SHA256SUMS.txt"]
    trainers = read_zip(trainers_zip(tmp_path))
    assert sorted(trainers) == ["arcadia-T-1-formadores/LEEME.txt", "arcadia-T-1-formadores/SHA256SUMS.txt",
                                "arcadia-T-1-formadores/formadores/arcadia-clave.txt", "arcadia-T-1-formadores/formadores/handouts/handout.txt"]
    assert trainers["arcadia-T-1-formadores/formadores/arcadia-clave.txt"] == b"KEY Arcadia\n"
    note = trainers["arcadia-T-1-formadores/LEEME.txt"].decode("utf-8")
    assert "abra index.html" in note and "La carpeta formadores guarda el material reservado" in note
    assert "formadores" not in public["arcadia-T-1-sin-conexion/LEEME.txt"].decode("utf-8")
    for entries in (public, trainers):
        assert_manifest_matches(entries)


def test_a_published_handout_goes_into_the_public_zip(project, tmp_path, packed_outputs):
    build(project, tmp_path, publish_handbooks=True)
    public = read_zip(public_zip(tmp_path))
    assert public["arcadia-T-1-sin-conexion/handouts/handout.txt"] == b"HANDOUT Arcadia\n"
    assert not any("clave" in name for name in public)
    assert_manifest_matches(public)


def test_the_zips_are_deterministic_sorted_and_dated_from_the_edition(project, tmp_path, packed_outputs):
    build(project, tmp_path / "a")
    build(project, tmp_path / "b")
    assert public_zip(tmp_path / "a").read_bytes() == public_zip(tmp_path / "b").read_bytes()
    assert trainers_zip(tmp_path / "a").read_bytes() == trainers_zip(tmp_path / "b").read_bytes()
    with zipfile.ZipFile(trainers_zip(tmp_path / "a")) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    day = build_edition(load_project(project), "arcadia").date
    assert {i.date_time for i in infos} == {(day.year, day.month, day.day, 0, 0, 0)}


def test_a_package_not_asked_for_follows_what_it_packs(project, tmp_path, packed_outputs):
    build(project, tmp_path)
    edit(project / "country_profiles/arcadia.yaml", "name: Arcadia", "name: Arcadia del Sur")
    result = build(project, tmp_path, names=["key"])
    assert "package trainers" in result.countries[0].built
    assert read_zip(trainers_zip(tmp_path))["arcadia-T-1-formadores/formadores/arcadia-clave.txt"] == b"KEY Arcadia del Sur\n"
    again = build(project, tmp_path, names=["key"])
    assert {"package", "package trainers"} <= set(again.countries[0].reused)


def test_the_landing_page_links_the_public_zip(project, tmp_path, packed_outputs):
    build(project, tmp_path)
    landing = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert ('<a href="arcadia/arcadia-T-1-sin-conexion.zip" download aria-label="Descargar para usar sin conexión (Arcadia)">'
            'Descargar para usar sin conexión</a>') in landing
    assert "ZIP, 1 MB: descomprímalo y abra index.html" in landing


def test_an_edition_label_that_is_no_file_name_is_made_one(project, tmp_path, packed_outputs):
    edit(project / "country_profiles/arcadia.yaml", 'edition: "T-1"', 'edition: "Edición 2027/2"')
    build(project, tmp_path)
    assert (tmp_path / "site/arcadia/arcadia-Edicion-2027-2-sin-conexion.zip").is_file()


@pytest.mark.slow  # reads the real course's build
def test_the_real_courses_public_zips_hold_the_site_and_no_trainer_file(course_build):
    site, trainers = course_build
    for country in sorted(load_project(REPO).profiles):
        public = read_zip(next((site / country).glob("*-sin-conexion.zip")))
        top = next(iter(public)).split("/")[0]
        assert f"{top}/index.html" in public and f"{top}/search/search_index.json" in public
        private = {p.name for p in (trainers / country).rglob("*") if p.is_file()}
        assert private and not private & {Path(name).name for name in public}
        assert_manifest_matches(public)
        packed = read_zip(next((trainers / country).glob("*-formadores.zip")))
        assert {Path(name).name for name in packed} >= private - {next((trainers / country).glob("*-formadores.zip")).name}
        assert_manifest_matches(packed)
