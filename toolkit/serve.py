"""Live preview of one country: MkDocs' server, with the course re-rendered before each rebuild.

MkDocs watches modules/, country_profiles/ and curriculum/; on a change it rebuilds, and the
hook first re-renders the country's Markdown. Only pages whose text changed are written, and
MkDocs rebuilds dirty, so it lays out again only the pages a change touched. A render error is
printed and the last good pages stay up, so an author sees the message without losing the preview.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from .errors import ToolkitError
from .load import CURRICULUM_DIR, MODULES_DIR, PROFILES_DIR
from .pages import Edition
from .pipeline import render_editions
from .outputs.site import SHIM_SOURCE, mkdocs_config, write_docs

HOOK = Path(__file__).with_name("serve_hook.py")


def render_docs(root: Path, country: str, docs_dir: Path) -> list[str]:
    """Render the country into docs_dir, touching only files whose bytes changed; returns
    their paths. Raises on any problem, leaving docs_dir as it was."""
    _, [edition] = render_editions(root, [country])
    return sync_docs(edition, root, docs_dir)


def sync_docs(edition: Edition, root: Path, docs_dir: Path) -> list[str]:
    """Write an edition's pages into docs_dir, touching only files whose bytes changed."""
    fresh = docs_dir.with_name("docs.next")
    shutil.rmtree(fresh, ignore_errors=True)
    write_docs(edition, fresh, root / SHIM_SOURCE)
    changed = []
    for source in sorted(p for p in fresh.rglob("*") if p.is_file()):
        target = docs_dir / source.relative_to(fresh)
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            changed.append(target.relative_to(docs_dir).as_posix())
    for stale in sorted(p for p in docs_dir.rglob("*") if p.is_file() and not (fresh / p.relative_to(docs_dir)).exists()):
        stale.unlink()
        changed.append(stale.relative_to(docs_dir).as_posix())
    shutil.rmtree(fresh)
    return changed


def serve(root: Path, country: str, dev_addr: str) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    work = Path(tempfile.mkdtemp(prefix=f"toolkit-serve-{country}-"))
    try:
        docs_dir = work / "docs"
        _, [edition] = render_editions(root, [country])
        sync_docs(edition, root, docs_dir)
        config = mkdocs_config(edition, root, docs_dir, work / "site")
        config["hooks"] = [str(HOOK)]
        config["watch"] = [str(root / d) for d in (MODULES_DIR, PROFILES_DIR, CURRICULUM_DIR)]
        config["dev_addr"] = dev_addr
        config["extra"].update({"toolkit_root": str(root), "toolkit_docs": str(docs_dir)})
        config_file = work / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        mkdocs_serve(str(config_file), livereload=True, build_type="dirty")
    except OSError as err:
        raise ToolkitError(f"cannot serve on {dev_addr}: {err}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
