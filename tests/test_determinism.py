"""The same inputs give the same bytes: sites, sitemaps and PDFs, built twice."""

import hashlib

from pypdf import PdfReader


def hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def gzip_mtime(path) -> int:
    """The time a gzip file's header carries (RFC 1952: bytes 4 to 8)."""
    return int.from_bytes(path.read_bytes()[4:8], "little")


def test_building_twice_gives_identical_bytes(project, run_cli, tmp_path):
    for run in ("first", "second"):
        result = run_cli("--project", project, "build", "--out", tmp_path / run / "site", "--handbooks-out", tmp_path / run / "hb")
        assert result.exit_code == 0, result.output
    first, second = hashes(tmp_path / "first"), hashes(tmp_path / "second")
    assert first == second
    assert "hb/arcadia/arcadia-jornada.pdf" in first and "site/arcadia/sitemap.xml.gz" in first


def test_dates_come_from_the_inputs_or_source_date_epoch(project, run_cli, tmp_path, monkeypatch):
    assert run_cli("--project", project, "build", "--out", tmp_path / "a", "--handbooks-out", tmp_path / "ha").exit_code == 0
    assert gzip_mtime(tmp_path / "a/arcadia/sitemap.xml.gz") == 1768435200  # 2026-01-15, the profile's review date
    assert PdfReader(tmp_path / "ha/arcadia/arcadia-jornada.pdf").metadata["/CreationDate"].startswith("D:20260115")

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    assert run_cli("--project", project, "build", "--out", tmp_path / "b", "--handbooks-out", tmp_path / "hb").exit_code == 0
    assert gzip_mtime(tmp_path / "b/arcadia/sitemap.xml.gz") == 1699920000  # MkDocs keeps the day of SOURCE_DATE_EPOCH
    assert PdfReader(tmp_path / "hb/arcadia/arcadia-jornada.pdf").metadata["/CreationDate"].startswith("D:20231114")
