"""Output 'site': the participant site of an edition, built by MkDocs with Material.

The site is the edition's public folder: it is written after the other outputs, around the
public files they staged there (a programme page links to its published handbook), and a
quality gate checks every link of the built site before it may replace the published one.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import os
import re
import shutil
from pathlib import Path

import yaml
from markupsafe import escape

from ..errors import Problem, ToolkitError
from ..load import SITE_CONFIG
from ..pages import Edition
from ..sitecheck import site_problems, source_line
from . import Artifact, Output, merge_into, register

SHIM_SOURCE = Path("node_modules/iframe-worker/shim/index.js")
SHIM_URI = "assets/javascripts/iframe-worker-shim.js"
TEMPLATES = Path(__file__).parent.parent / "templates"
STYLESHEET = TEMPLATES / "site.css"
STYLESHEET_URI = "assets/stylesheets/toolkit.css"
SCRIPT = TEMPLATES / "site.js"
SCRIPT_URI = "assets/javascripts/toolkit.js"


def mkdocs_config(edition: Edition, root: Path, docs_dir: Path, site_dir: Path) -> dict:
    """The country's MkDocs configuration: the shared mkdocs.yml plus what is the country's own.

    MkDocs' templates do not escape, so every value from a profile is escaped here: a school
    named '<script>' shows as text in the header and footer.
    """
    words = edition.words
    shown = {key: str(escape(value)) for key, value in edition.record.items() if isinstance(value, str)}
    return {
        "INHERIT": str(root / SITE_CONFIG),
        "site_name": f"{shown['name']} · {shown['school']}",
        "site_description": f"{escape(edition.course['title'])}: {shown['name_full']}, {shown['school']}",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"language": edition.language},
        "nav": _escaped_titles(edition.nav),
        "copyright": f"{shown['school']} · {words['edition']} {shown['label']} · {shown['review']}",
        # Served from the site itself; Material's offline plugin would otherwise fetch it from a CDN.
        "extra": {"polyfills": [SHIM_URI], "country": edition.country},
        "extra_css": [STYLESHEET_URI],
        "extra_javascript": [SCRIPT_URI],
    }


def _escaped_titles(nav):
    if isinstance(nav, list):
        return [_escaped_titles(entry) for entry in nav]
    if isinstance(nav, dict):
        return {str(escape(title)): _escaped_titles(target) for title, target in nav.items()}
    return nav


def write_docs(edition: Edition, docs_dir: Path, shim: Path) -> None:
    for page in edition.pages:
        target = docs_dir / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.participant, encoding="utf-8")
    for uri, source in sorted(edition.assets.items()):
        target = docs_dir / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for uri, source in ((SHIM_URI, shim), (STYLESHEET_URI, STYLESHEET), (SCRIPT_URI, SCRIPT)):
        (docs_dir / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, docs_dir / uri)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@contextlib.contextmanager
def _build_date(day: datetime.date):
    """MkDocs dates what it writes (the sitemap) by SOURCE_DATE_EPOCH: set it to the edition's date."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH")
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


_QUOTED = re.compile(r"'([^']+)'")


def run_mkdocs(config_file: Path, edition: Edition, root: Path) -> list[Problem]:
    """Build one site with MkDocs; any warning it logs (a broken link, say) fails the build,
    named in the page's source file at the line that holds the link."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collector = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    level = mkdocs_logger.level
    mkdocs_logger.addHandler(collector)
    mkdocs_logger.setLevel(logging.WARNING)
    mkdocs_logger.propagate = False
    try:
        with _build_date(edition.date):
            build(load_config(config_file=str(config_file)))
    except MkDocsException as err:
        raise ToolkitError(f"MkDocs could not build {edition.country}: {err}") from None
    finally:
        mkdocs_logger.removeHandler(collector)
        mkdocs_logger.setLevel(level)
        mkdocs_logger.propagate = True
    problems = []
    pages = {page.src_uri: page for page in edition.pages}
    for record in collector.records:
        message = record.getMessage()
        quoted = _QUOTED.findall(message)
        page = next((pages[q] for q in quoted if q in pages), None)
        target = next((q for q in quoted if q not in pages), "")
        path, line = source_line(root, page.source, target) if page else (SITE_CONFIG, 0)
        problems.append(Problem(path, line, f"{edition.country}: {message}", country=edition.country))
    return problems


class Site(Output):
    name = "site"
    gathers_public = True

    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        pages = [(p.src_uri, p.participant) for p in edition.pages]
        assets = {uri: hashlib.sha256(source.read_bytes()).hexdigest() for uri, source in edition.assets.items()}
        config = {key: value for key, value in mkdocs_config(edition, root, Path(), Path()).items() if key not in ("docs_dir", "site_dir")}
        shim = root / SHIM_SOURCE
        return [Artifact("site", "", True, (
            json.dumps([pages, assets, config], sort_keys=True, ensure_ascii=False, default=str),
            (root / SITE_CONFIG).read_text(encoding="utf-8"),
            hashlib.sha256(shim.read_bytes()).hexdigest() if shim.is_file() else "",
        ))]

    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        shim = root / SHIM_SOURCE
        if not shim.is_file():
            raise ToolkitError(f"{SHIM_SOURCE} is missing: run 'npm ci' (or 'make site', which does it)")
        docs, built = work / "docs", work / "site"
        write_docs(edition, docs, shim)
        if target.is_dir():  # the public files other outputs staged: pages link to them
            merge_into(target, docs)
        config_file = work / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(mkdocs_config(edition, root, docs, built), allow_unicode=True, sort_keys=False), encoding="utf-8")
        problems = run_mkdocs(config_file, edition, root)
        # MkDocs writes 404.html with links from the server root; editions live in sub-folders
        # and open from disk, where those links all break. Better no page than a broken one.
        (built / "404.html").unlink(missing_ok=True)
        problems += site_problems(built, edition, root)
        shutil.rmtree(target, ignore_errors=True)
        built.rename(target)
        return problems


register(Site())
