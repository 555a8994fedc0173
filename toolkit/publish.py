"""Stage 4, publish: write every output of every edition into staging, then move them into place.

What each output makes is its own business (toolkit/outputs/); everything else is done here
alike for all of them. For each edition, its artifacts are built, or copied from the
published folder when their inputs did not change, or, for an output not asked for, kept as
published. Only when every requested country has built are the folders swapped in, so a
failed build leaves the previous output untouched.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cache
from .errors import Problem, ProblemsFound, ToolkitError
from .files import write_atomically
from .outputs import Output, Packer, Staged, merge_into, registered_outputs
from .pages import Edition, render_page
from .words import labels

PUBLICATION_FILE = "publication.json"  # in each public folder: the edition's record and its cache keys


@dataclass
class CountryJob:
    """Everything one country's build needs; its jobs (OutputsJob) run in worker processes."""

    edition: Edition
    chosen: frozenset[str]  # the outputs to build; the others are kept as published
    root: Path
    work: Path  # scratch folder of this edition
    public: Path  # staging of its public folder
    private: Path  # staging of its trainers' folder
    published_public: Path
    published_private: Path


@dataclass
class CountryResult:
    country: str
    problems: list[Problem] = field(default_factory=list)
    built: list[str] = field(default_factory=list)  # artifact names
    reused: list[str] = field(default_factory=list)  # unchanged inputs: copied from the published folder
    kept: list[str] = field(default_factory=list)  # an output not asked for: left as published
    seconds: dict[str, float] = field(default_factory=dict)  # output name -> time spent
    has_private: bool = False  # trainer-only files were staged: swap them in too
    building: str = ""  # the output being built, named if it fails
    keyed: list[tuple[str, str, bool]] = field(default_factory=list)  # (artifact, cache key, public), in build order

    def summary(self) -> str:
        parts = [f"{verb} {', '.join(names)}" for verb, names in (("built", self.built), ("reused", self.reused), ("kept", self.kept)) if names]
        return "; ".join(parts) or "nothing to build"


@dataclass
class OutputsJob:
    """Some outputs of one edition, for a worker process: built after the artifacts `before`
    keyed (what a gathering output or a packer covers); the last job writes the publication record."""

    country: CountryJob
    outputs: list[Output]
    before: list[tuple[str, str, bool]]
    last: bool


def jobs_of(outputs: list[Output]) -> tuple[list[list[Output]], list[Output]]:
    """The outputs built apart, one job per job name (Output.job) or output, and those built
    after all of them, in one job per edition: the site, which gathers their public files, and the packers."""
    apart: dict[str, list[Output]] = {}
    for output in outputs:
        if not (output.gathers_public or isinstance(output, Packer)):
            apart.setdefault(output.job or output.name, []).append(output)
    return list(apart.values()), [o for o in outputs if o.gathers_public or isinstance(o, Packer)]


def build_outputs(job: CountryJob, outputs: list[Output], result: CountryResult, before=()) -> None:
    """Outputs of one edition into staging, after the artifacts `before` keyed; result.building
    names the output at work."""
    edition = job.edition
    previous_keys = cache.read_manifest(job.published_public / PUBLICATION_FILE)
    keys = {name: key for name, key, _ in before}
    public_keys = [key for _, key, public in before if public]
    for output in outputs:
        started = time.perf_counter()
        result.building = output.name
        packs = isinstance(output, Packer)
        artifacts = output.artifacts(edition, job.root)
        for artifact in artifacts:
            covered = public_keys if artifact.public else list(keys.values())
            inputs = artifact.inputs + (tuple(covered) if output.gathers_public or packs else ())
            key = cache.fingerprint(output.name, *inputs, cache.toolkit_fingerprint())
            target = (job.public if artifact.public else job.private) / artifact.path
            published = (job.published_public if artifact.public else job.published_private) / artifact.path
            result.has_private |= not artifact.public
            if output.name not in job.chosen and not (packs and published.exists()):  # a packer follows what it packs
                if published.exists():
                    merge_into(published, target)
                    keys[artifact.name] = previous_keys.get(artifact.name, "")
                    result.kept.append(artifact.name)
            elif previous_keys.get(artifact.name) == key and published.exists():
                merge_into(published, target)
                keys[artifact.name] = key
                result.reused.append(artifact.name)
            else:
                scratch = job.work / artifact.name.replace(" ", "-")
                scratch.mkdir(parents=True, exist_ok=True)
                target.parent.mkdir(parents=True, exist_ok=True)
                if packs:
                    own = {(job.public if a.public else job.private) / a.path for a in artifacts}
                    staged = Staged(_staged_files(job.public, own), _staged_files(job.private, own))
                    result.problems += output.pack(edition, artifact, target, staged, scratch)
                else:
                    result.problems += output.write(edition, artifact, target, job.root, scratch)
                keys[artifact.name] = key
                result.built.append(artifact.name)
            if artifact.name in keys:
                result.keyed.append((artifact.name, keys[artifact.name], artifact.public))
                if artifact.public:
                    public_keys.append(keys[artifact.name])
        result.seconds[output.name] = time.perf_counter() - started


def write_record(job: CountryJob, keyed: list[tuple[str, str, bool]]) -> None:
    """The edition's publication record: its facts and the cache key of each artifact."""
    job.public.mkdir(parents=True, exist_ok=True)
    record = {**job.edition.record, "build": dict(sorted((name, key) for name, key, _ in keyed))}
    (job.public / PUBLICATION_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _staged_files(folder: Path, own: set[Path]) -> dict[str, Path]:
    """Every file staged in folder but the packer's own and the publication record (written
    last; a reused site brings the previous one along)."""
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file() and path not in own and path != folder / PUBLICATION_FILE}


def _run_outputs(job: OutputsJob) -> CountryResult:
    """build_outputs in a worker: every problem comes back as data, never as an exception."""
    country = job.country.edition.country
    result = CountryResult(country)
    try:
        build_outputs(job.country, job.outputs, result, job.before)
        if job.last:
            write_record(job.country, [*job.before, *result.keyed])
        return result
    except ProblemsFound as err:
        return CountryResult(country, problems=err.problems)
    except ToolkitError as err:
        return CountryResult(country, problems=[Problem(country, 0, err.format_message(), country=country)])
    except Exception as err:  # a disk, font or layout failure: a message naming what failed, not a traceback
        return CountryResult(country, problems=[Problem(country, 0, f"building the {result.building} failed: {type(err).__name__}: {err}", country=country)])


def _merged(country: str, results: list[CountryResult]) -> CountryResult:
    """One country's result from those of its jobs, in the outputs' order."""
    merged = CountryResult(country)
    for result in results:
        merged.problems += result.problems
        merged.built += result.built
        merged.reused += result.reused
        merged.kept += result.kept
        merged.seconds.update(result.seconds)
        merged.has_private |= result.has_private
        merged.keyed += result.keyed
    return merged


def publish(editions: list[Edition], outputs: list[Output], chosen: set[str], course: dict, root: Path, out_dir: Path, private_dir: Path,
            progress=lambda message: None, report_page: str | None = None, jobs: int = 1) -> list[CountryResult]:
    """Build the chosen outputs of every edition, in up to `jobs` processes, then swap them all
    into place: public files to out_dir/<country>/, trainer-only files to private_dir/<country>/.

    Outputs not chosen keep their published files. report_page: the adaptation report's HTML,
    written beside the landing page. Nothing is replaced unless every country built.
    """
    out_dir, private_dir = out_dir.resolve(), private_dir.resolve()
    staging = _staging_beside(out_dir)
    private_staging = _staging_beside(private_dir)
    try:
        country_jobs = [
            CountryJob(edition, frozenset(chosen), root, staging / "work" / edition.country, staging / "built" / edition.country,
                       private_staging / "built" / edition.country, out_dir / edition.country, private_dir / edition.country)
            for edition in editions
        ]
        results = _build_all(country_jobs, outputs, jobs, progress)
        problems = [p for result in results.values() for p in result.problems]
        if any(p.severity == "error" for p in problems):
            raise ProblemsFound(problems)
        for job in country_jobs:
            _swap_in(job.public, job.published_public, staging)
            if results[job.edition.country].has_private:
                job.private.mkdir(parents=True, exist_ok=True)
                _swap_in(job.private, job.published_private, private_staging)
        write_landing(out_dir, course, report_page)
        return list(results.values())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(private_staging, ignore_errors=True)


def _build_all(country_jobs: list[CountryJob], outputs: list[Output], jobs: int, progress) -> dict[str, CountryResult]:
    """Every edition's outputs, in up to `jobs` processes: first the outputs built apart (each
    job of every country), then, once a country's are done, its site and packers. Results are
    taken in the outputs' order, whichever job ends first, so keys and messages do not depend on it."""
    apart, last = jobs_of(outputs)
    by_country = {job.edition.country: job for job in country_jobs}
    done: dict[str, dict[int, CountryResult]] = {country: {} for country in by_country}
    results: dict[str, CountryResult] = {}
    # One country builds here (a pool would only add its start); more share up to `jobs` processes, no more than they have jobs.
    first_jobs = len(country_jobs) * max(len(apart), 1)
    with _runner(min(jobs, first_jobs) if len(country_jobs) > 1 else 1) as runner:

        def ordered(country: str) -> list[CountryResult]:
            return [done[country][index] for index in sorted(done[country])]

        def after_apart(country: str) -> None:
            if any(p.severity == "error" for r in ordered(country) for p in r.problems):
                finish(country)
            else:
                before = [k for r in ordered(country) for k in r.keyed]
                runner.submit(_run_outputs, OutputsJob(by_country[country], last, before, True), (country, len(apart)))

        def finish(country: str) -> None:
            results[country] = result = _merged(country, ordered(country))
            failed = any(p.severity == "error" for p in result.problems)
            progress(f"[{len(results)}/{len(country_jobs)}] {country}: {'failed' if failed else result.summary()}")

        for index, group in enumerate(apart):
            for job in country_jobs:
                runner.submit(_run_outputs, OutputsJob(job, group, [], False), (job.edition.country, index))
        if not apart:
            for country in by_country:
                after_apart(country)
        for (country, index), result in runner.completed():
            done[country][index] = result
            if index == len(apart):
                finish(country)
            elif len(done[country]) == len(apart):
                after_apart(country)
    return results


class _InProcess:
    """Jobs run here, one after the other, in the order submitted."""

    def __init__(self):
        self.queue: collections.deque = collections.deque()

    def submit(self, function, item, tag) -> None:
        self.queue.append((function, item, tag))

    def completed(self):
        while self.queue:
            function, item, tag = self.queue.popleft()
            yield tag, function(item)


class _InPool:
    """Jobs run in worker processes, reported as each completes; a job may be submitted meanwhile."""

    def __init__(self, pool: concurrent.futures.ProcessPoolExecutor):
        self.pool, self.pending = pool, {}

    def submit(self, function, item, tag) -> None:
        self.pending[self.pool.submit(function, item)] = tag

    def completed(self):
        while self.pending:
            finished, _ = concurrent.futures.wait(self.pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in finished:
                yield self.pending.pop(future), future.result()


@contextlib.contextmanager
def _runner(jobs: int):
    """Where jobs run: here when one at a time, in a pool of processes otherwise."""
    if jobs <= 1:
        yield _InProcess()
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        yield _InPool(pool)


def _staging_beside(target: Path) -> Path:
    """A staging folder on the same file system as target, so moving into place is a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))


def _swap_in(built: Path, target: Path, trash: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(trash / f"previous-{target.parent.name}-{target.name}")
    built.rename(target)


def write_landing(out_dir: Path, course: dict, report_page: str | None = None) -> None:
    """DIR/index.html links every edition present in DIR, whichever build put it there, what its
    outputs offer to download (the offline package), and the adaptation report."""
    editions = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(out_dir.glob(f"*/{PUBLICATION_FILE}"))]
    words = labels(course["language"])
    report_file = f"{words['slugs']['report']}.html"
    if report_page is not None:
        write_atomically(out_dir / report_file, report_page.encode("utf-8"))
    outputs = registered_outputs()
    downloads = {e["id"]: [d for output in outputs for d in output.downloads(out_dir / e["id"], e, words)] for e in editions}
    html = render_page("landing.html.j2", editions=editions, course=course, words=words, downloads=downloads,
                       report=report_file if (out_dir / report_file).exists() else None)
    write_atomically(out_dir / "index.html", html.encode("utf-8"))
