"""Stage 4, publish: hand each edition to MkDocs and move the finished sites into place.

Everything is built in a staging folder beside the output; only when every requested
country has built are the sites swapped in, so a failed build leaves the previous output
untouched.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markupsafe import escape

from . import cache
from .cache import EDITION_FILE
from .errors import Problem, ProblemsFound, ToolkitError
from .load import SITE_CONFIG, TO_FILL
from .handbook import handbook_file_name, handbook_html, handbook_inputs, write_handbook_html
from .pages import Edition, render_page
from .words import labels
from .sitecheck import site_problems

SHIM_SOURCE = Path("node_modules/iframe-worker/shim/index.js")
SHIM_URI = "assets/javascripts/iframe-worker-shim.js"
REPORT_FILE = "informe.html"
HANDBOOKS_URI = "handbooks"
STYLESHEET = Path(__file__).parent / "templates" / "site.css"
STYLESHEET_URI = "assets/stylesheets/toolkit.css"
SCRIPT = Path(__file__).parent / "templates" / "site.js"
SCRIPT_URI = "assets/javascripts/toolkit.js"


def mkdocs_config(edition: Edition, root: Path, docs_dir: Path, site_dir: Path) -> dict:
    """The country's MkDocs configuration: the shared mkdocs.yml plus what is the country's own.

    MkDocs' templates do not escape, so every value from a profile is escaped here: a school
    named '<script>' shows as text in the header and footer.
    """
    words = edition.words

    def value(*keys) -> str:
        return str(escape(profile_text(edition, *keys)))

    school = value("judicial_school", "name")
    return {
        "INHERIT": str(root / SITE_CONFIG),
        "site_name": f"{value('name')} · {school}",
        "site_description": f"{escape(edition.course['title'])}: {value('name_full')}, {school}",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"language": edition.profile["language"]},
        "nav": _escaped_titles(edition.nav),
        "copyright": f"{school} · {words['edition']} {value('edition')} · {escape(edition.review_statement)}",
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
def _source_date_epoch(edition: Edition):
    """Dates MkDocs writes (sitemap) come from the profile's review date, not the clock."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if previous is None:
        day = edition.date
        os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def run_mkdocs(config_file: Path, edition: Edition) -> None:
    """Build one site with MkDocs; any warning it logs (a broken link, say) fails the build."""
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
        with _source_date_epoch(edition):
            config = load_config(config_file=str(config_file))
            build(config)
    except MkDocsException as err:
        raise ToolkitError(f"MkDocs could not build {edition.country}: {err}") from None
    finally:
        mkdocs_logger.removeHandler(collector)
        mkdocs_logger.setLevel(level)
        mkdocs_logger.propagate = True
    problems = [Problem(_source_of(record.getMessage()), 0, f"{edition.country}: {record.getMessage()}") for record in collector.records]
    if problems:
        raise ProblemsFound(problems)


def _source_of(message: str) -> str:
    """Doc pages are named after their module: 'x/index.md' in MkDocs is modules/x/index.md."""
    for word in message.replace("'", " ").replace('"', " ").split():
        if word.endswith("/index.md"):
            return f"modules/{word}"
    return "site"


@dataclass
class CountryJob:
    """Everything one country's build needs; runs in a worker process of its own."""

    edition: Edition
    root: Path
    work: Path  # staging: docs and MkDocs configuration
    site_dir: Path  # staging: the built site
    handbook_dir: Path | None  # staging: where its handbooks go (None: no handbooks)
    previous_site: Path  # the published site, whose unchanged parts are reused
    previous_handbooks: Path | None


@dataclass
class CountryResult:
    country: str
    problems: list[Problem] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)  # "site", "handbook <programme>"
    reused: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> time spent
    output: str = "docs"  # the output being built, named if it fails


def build_country(job: CountryJob, result: CountryResult) -> CountryResult:
    """Handbooks, then the site, of one country into staging; outputs whose inputs did not
    change since the published build are copied from it instead of being built again.
    result.output names what is being built, for a message if it fails."""
    edition = job.edition
    manifest = cache.read_manifest(job.previous_site)
    recorded: dict[str, str] = {}
    docs = job.work / "docs"
    write_docs(edition, docs, job.root / SHIM_SOURCE)
    if job.handbook_dir:
        for programme in edition.programmes:
            started = time.perf_counter()
            name = handbook_file_name(edition.country, programme.id)
            key = result.output = f"handbook {programme.id}"
            recorded[key] = cache.fingerprint(handbook_inputs(edition, programme), (job.root / SITE_CONFIG).read_text(encoding="utf-8"), cache.toolkit_fingerprint())
            previous = job.previous_handbooks / name if job.previous_handbooks else None
            target = job.handbook_dir / name
            if manifest.get(key) == recorded[key] and previous and previous.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(previous, target)
                result.reused.append(key)
            else:
                write_handbook_html(handbook_html(edition, programme, job.root), job.root, target)
                result.rebuilt.append(key)
            result.seconds["handbooks"] = result.seconds.get("handbooks", 0) + time.perf_counter() - started
    started = time.perf_counter()
    result.output = "site"
    config = mkdocs_config(edition, job.root, docs, job.site_dir)
    stable_config = {key: value for key, value in config.items() if key not in ("docs_dir", "site_dir")}
    recorded["site"] = cache.fingerprint(cache.tree_digest(docs), json.dumps(stable_config, sort_keys=True, default=str),
                                   (job.root / SITE_CONFIG).read_text(encoding="utf-8"), cache.toolkit_fingerprint())
    if manifest.get("site") == recorded["site"] and job.previous_site.is_dir():
        shutil.copytree(job.previous_site, job.site_dir)
        result.reused.append("site")
    else:
        config_file = job.work / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        run_mkdocs(config_file, edition)
        # MkDocs writes 404.html with links from the server root; editions live in sub-folders
        # and open from disk, where those links all break. Better no page than a broken one.
        (job.site_dir / "404.html").unlink(missing_ok=True)
        result.problems = site_problems(job.site_dir, edition.country)
        result.rebuilt.append("site")
    record = {**edition_record(edition), "build": recorded}
    (job.site_dir / EDITION_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    result.seconds["site"] = time.perf_counter() - started
    return result


def _run_country(job: CountryJob) -> CountryResult:
    """build_country in a worker: every problem comes back as data, never as an exception."""
    result = CountryResult(job.edition.country)
    try:
        return build_country(job, result)
    except ProblemsFound as err:
        return CountryResult(job.edition.country, problems=err.problems)
    except ToolkitError as err:
        return CountryResult(job.edition.country, problems=[Problem("site", 0, err.format_message())])
    except Exception as err:  # a disk, font or layout failure: a message naming what failed, not a traceback
        return CountryResult(job.edition.country, problems=[Problem(job.edition.country, 0, f"building the {result.output} failed: {type(err).__name__}: {err}")])


def publish(editions: list[Edition], course: dict, root: Path, out_dir: Path, handbooks_dir: Path | None = None,
            progress=lambda message: None, report_page: str | None = None, jobs: int = 1) -> list[CountryResult]:
    """Build every edition's handbooks and site, in up to `jobs` processes, then swap them all into place.

    Sites go to out_dir/<country>/; handbooks into the site when the edition publishes them
    (out_dir/<country>/handbooks/), otherwise to handbooks_dir/<country>/ for trainers only.
    handbooks_dir=None builds no handbooks. Nothing is replaced unless every country built.
    """
    if not (root / SHIM_SOURCE).is_file():
        raise ToolkitError(f"{SHIM_SOURCE} is missing: run 'npm ci' (or 'make site', which does it)")
    out_dir = out_dir.resolve()
    staging = _staging_beside(out_dir)
    private_staging = _staging_beside(handbooks_dir.resolve()) if handbooks_dir else None
    try:
        country_jobs = [
            CountryJob(
                edition, root, staging / "work" / edition.country, staging / "built" / edition.country,
                None if not handbooks_dir else (staging / "work" / edition.country / "docs" / HANDBOOKS_URI if edition.publish_handbooks else private_staging / "built" / edition.country),
                out_dir / edition.country,
                None if not handbooks_dir else (out_dir / edition.country / HANDBOOKS_URI if edition.publish_handbooks else handbooks_dir.resolve() / edition.country),
            )
            for edition in editions
        ]
        results = []
        with _executor(jobs, len(country_jobs)) as run:
            for number, result in enumerate(run(_run_country, country_jobs), 1):
                summary = ", ".join(filter(None, [f"built {', '.join(result.rebuilt)}" if result.rebuilt else "", f"reused {', '.join(result.reused)}" if result.reused else ""]))
                progress(f"[{number}/{len(country_jobs)}] {result.country}: {summary or 'failed'}")
                results.append(result)
        problems = [p for result in results for p in result.problems]
        if problems:
            raise ProblemsFound(problems)
        for edition in editions:
            _swap_in(staging / "built" / edition.country, out_dir / edition.country, staging)
            if private_staging and not edition.publish_handbooks:
                _swap_in(private_staging / "built" / edition.country, handbooks_dir.resolve() / edition.country, private_staging)
        write_landing(out_dir, course, report_page)
        return results
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if private_staging:
            shutil.rmtree(private_staging, ignore_errors=True)


@contextlib.contextmanager
def _executor(jobs: int, tasks: int):
    """map() over processes when there is more than one job and one task, in order of completion."""
    if jobs <= 1 or tasks <= 1:
        yield lambda function, items: map(function, items)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, tasks)) as pool:
        yield lambda function, items: (future.result() for future in concurrent.futures.as_completed([pool.submit(function, item) for item in items]))


def _staging_beside(target: Path) -> Path:
    """A staging folder on the same file system as target, so moving into place is a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))


def _swap_in(built: Path, target: Path, trash: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(trash / f"previous-{target.parent.name}-{target.name}")
    built.rename(target)


def profile_text(edition: Edition, *keys: str) -> str:
    """A profile value shown outside the rendered pages; in a draft, one still to fill reads 'por adaptar'."""
    found = edition.profile
    for key in keys:
        found = found.get(key, TO_FILL) if isinstance(found, dict) else TO_FILL
    return edition.words["to_adapt"] if found == TO_FILL else str(found)


def edition_record(edition: Edition) -> dict:
    return {
        "id": edition.country,
        "name": profile_text(edition, "name"),
        "name_full": profile_text(edition, "name_full"),
        "school": profile_text(edition, "judicial_school", "name"),
        "language": edition.profile["language"],
        "edition": profile_text(edition, "edition"),
        "review": edition.review_statement,
        "draft": edition.draft,
    }


def write_landing(out_dir: Path, course: dict, report_page: str | None = None) -> None:
    """DIR/index.html links every edition present in DIR, whichever build put it there, and the adaptation report."""
    editions = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(out_dir.glob(f"*/{EDITION_FILE}"))]
    if report_page is not None:
        _write_atomically(out_dir / REPORT_FILE, report_page)
    html = render_page("landing.html.j2", editions=editions, course=course, words=labels(course["language"]),
                       report=REPORT_FILE if (out_dir / REPORT_FILE).exists() else None)
    _write_atomically(out_dir / "index.html", html)


def _write_atomically(target: Path, text: str) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
