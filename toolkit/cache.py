"""Content hashes that key incremental builds: an output is reused while its inputs hash the same."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from pathlib import Path


def fingerprint(*parts: str) -> str:
    """One hash of several texts, each kept apart from the next."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and bytes under folder (Python's bytecode caches left out)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache
def toolkit_fingerprint() -> str:
    """The engine's own version: its code, templates and words, and the generators' versions (the decks' too)."""
    package = Path(__file__).parent
    versions = [f"{name}=={importlib.metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "weasyprint", "markdown", "pymdown-extensions", "python-pptx")]
    return fingerprint(tree_digest(package), *versions)


def read_manifest(record: Path) -> dict[str, str]:
    """The input keys a published folder recorded for its artifacts (empty if none)."""
    try:
        return json.loads(record.read_text(encoding="utf-8")).get("build", {})
    except (OSError, ValueError):
        return {}
