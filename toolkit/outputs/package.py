"""Output 'package': an edition to carry offline, as zip files of what the other outputs staged.

Two zips per edition. The public one, in the edition's folder and linked from the landing page,
holds the site (index.html opens from the unzipped folder, search included) and every public
file it carries: handbooks only when the edition publishes them. The trainers' one, beside the
handbooks, holds the same site and every trainer-only file in a folder of its own. Each opens
on a folder named as the zip, with a note on how to use it and a SHA-256 manifest of its
files; entries are sorted and dated from the edition's date: the same edition, the same bytes.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import Problem
from ..files import dated_zip
from ..pages import Edition
from ..words import labels
from . import Artifact, Download, Packer, Staged, register

def _file_safe(label: str) -> str:
    """An edition label as a file name part: 'Edición 2026/1' -> 'Edicion-2026-1' ('_' if nothing is left)."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_label).strip("-.") or "_"


def package_file(record: dict, audience: str) -> str:
    """The zip's file name for an edition record (Edition.record): 'peru-2026-1-sin-conexion.zip'."""
    words = labels(record["language"])["package_words"]
    return words[f"{audience}_file"].format(country=record["id"], label=_file_safe(record["label"]))


def _zip(target: Path, files: dict[str, Path], notes: dict[str, str], manifest: str, day: datetime.date) -> None:
    """files (and notes, text written by the toolkit) in one folder named as the zip, with a
    manifest of the SHA-256 of each of them, in the format 'sha256sum -c' checks."""
    top = target.name.removesuffix(".zip")
    contents = {name: path.read_bytes() for name, path in files.items()} | {name: text.encode("utf-8") for name, text in notes.items()}
    contents[manifest] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(contents.items())).encode("utf-8")
    target.write_bytes(dated_zip({f"{top}/{name}": data for name, data in sorted(contents.items())}, day))


class Package(Packer):
    name = "package"

    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        inputs = (edition.date.isoformat(),)
        return [Artifact("package", package_file(edition.record, "public"), True, inputs),
                Artifact("package trainers", package_file(edition.record, "trainers"), False, inputs)]

    def pack(self, edition: Edition, artifact: Artifact, target: Path, staged: Staged, work: Path) -> list[Problem]:
        words = edition.words["package_words"]
        shown = {**edition.record, "course": edition.course["title"], "manifest": words["manifest_file"], "folder": words["trainers_folder"]}
        notes = {words["note_file"]: words["note"].format(**shown)}
        files = dict(staged.public)
        if not artifact.public:
            notes[words["note_file"]] += "\n" + words["trainers_note"].format(**shown)
            files |= {f"{words['trainers_folder']}/{name}": path for name, path in staged.private.items()}
        _zip(target, files, notes, words["manifest_file"], edition.date)
        return []

    def downloads(self, folder: Path, record: dict, words: dict) -> list[Download]:
        """The public zip, with its size in whole megabytes."""
        path = folder / package_file(record, "public")
        if not path.is_file():
            return []
        details = words["package_words"]["download_details"].format(megabytes=max(1, round(path.stat().st_size / 1e6)))
        return [Download(path.name, words["package_words"]["download"], details)]


register(Package())
