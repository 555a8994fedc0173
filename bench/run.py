#!/usr/bin/env python3
"""Benchmark of the build, measured in one run on this machine. Prints a Markdown report and
writes it to bench/RESULTS.md.

    python bench/run.py            # or: make bench

What it measures: the full build of the real countries split into its stages; the same pages
built by plain MkDocs (the engine's overhead) and the same PDFs laid out whole by plain WeasyPrint
(the printing's overhead); rebuilds after touching nothing, one module, and one country's
profile; serial against parallel at 4 countries and the full build at 12; a synthetic corpus of
4, 16 and 32 countries and of the modules times four (how the sites' cost grows); peak memory.
Every full build starts from an empty part cache (.cache/print).

What follows HAND_MARK in RESULTS.md (comparisons measured by hand) is kept.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from pypdf import PdfReader  # noqa: E402

from toolkit import pipeline, printing  # noqa: E402
from toolkit.load import load_project  # noqa: E402
from toolkit.outputs import registered_outputs  # noqa: E402
from toolkit.pages import resolve_edition  # noqa: E402
from toolkit.outputs.site import SHIM_SOURCE, Site, mkdocs_config, run_mkdocs, write_docs  # noqa: E402
from toolkit.validate import validate_project  # noqa: E402


# What each output's time covers, for the table.
OUTPUT_WHAT = {"site": "write pages, MkDocs, link check", "handbooks": "WeasyPrint", "instruments": "tests, keys, rubrics: WeasyPrint",
               "workbook": "WeasyPrint", "questions": "Moodle XML and GIFT", "slides": "python-pptx", "package": "zips and checksums"}


HAND_MARK = "<!-- Measured by hand: bench/run.py keeps everything below this line. -->"
PRINTED = ("handbooks", "instruments", "workbook")  # the outputs laid out by WeasyPrint
PLAIN_WEASYPRINT = """
import json, sys, time
from pathlib import Path
from weasyprint import HTML
root, files = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
for file in files:
    HTML(string=Path(file).read_text(encoding="utf-8"), base_url=root).write_pdf(pdf_variant="pdf/ua-1")
print(json.dumps(time.perf_counter() - started))
"""


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - started, value


def copy_project(target: Path) -> Path:
    """The course with its own node_modules link, so synthetic variants never touch the repository."""
    ignore = shutil.ignore_patterns(".venv", "node_modules", "site", "handbooks", ".git", "bench", "__pycache__", ".pytest_cache", ".cache")
    shutil.copytree(ROOT, target, ignore=ignore)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def synthetic(target: Path, countries: int, module_copies: int = 1) -> Path:
    """The real course with `countries` profiles (copies of the real ones, each named apart) and each module `module_copies` times."""
    project = copy_project(target)
    originals = sorted(p for p in (project / "country_profiles").glob("*.yaml") if p.stem != "schema")
    for profile in originals:
        profile.unlink()
        (project / "case_keys" / profile.name).unlink()
    for number in range(countries):
        source = originals[number % len(originals)]
        country = f"{source.stem}-{number + 1}"
        text = (ROOT / "country_profiles" / source.name).read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: {country}")
        # A name of its own, on every page: a copy shares no printed part with its original.
        text = re.sub(r"^name: \"?(.*?)\"?$", rf"name: \1 {number + 1}", text, count=1, flags=re.M)
        (project / "country_profiles" / f"{country}.yaml").write_text(text, encoding="utf-8")
        keys = yaml.safe_load((ROOT / "case_keys" / source.name).read_text(encoding="utf-8"))
        # A copied module asks for the same keys under its own id.
        keys.update({f"{module}-{copy}": cases for module, cases in list(keys.items()) for copy in range(2, module_copies + 1)})
        (project / "case_keys" / f"{country}.yaml").write_text(yaml.safe_dump(keys, allow_unicode=True), encoding="utf-8")
    for copy in range(2, module_copies + 1):
        for module in sorted(p for p in (ROOT / "modules").iterdir() if p.is_dir()):
            clone = project / "modules" / f"{module.name}-{copy}"
            shutil.copytree(module, clone)
            index = clone / "index.md"
            index.write_text(index.read_text(encoding="utf-8").replace(f"id: {module.name}", f"id: {module.name}-{copy}", 1), encoding="utf-8")
    return project


@contextlib.contextmanager
def recording_printed():
    """Every document the build prints meanwhile, as (its HTML, its PDF); pages are counted after
    the build, outside the time measured."""
    documents: list[tuple[str, bytes]] = []
    printed = printing.print_document

    def record(html, root):
        result = printed(html, root)
        documents.append((html, result.pdf))
        return result

    printing.print_document = record
    try:
        yield documents
    finally:
        printing.print_document = printed


def plain_weasyprint_seconds(documents: list[tuple[str, bytes]], project: Path, work: Path) -> float:
    """Each document laid out whole by WeasyPrint as installed, in a process of its own that does not
    load the toolkit: the engine's own speed on the same HTML."""
    work.mkdir(parents=True)
    files = []
    for number, (html, _) in enumerate(documents):
        files.append(work / f"{number}.html")
        files[-1].write_text(html, encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", PLAIN_WEASYPRINT, str(project), *map(str, files)], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def cold_build(project: Path, out: Path, jobs: int):
    """A full build from an empty part cache."""
    shutil.rmtree(project / printing.CACHE, ignore_errors=True)
    return timed(pipeline.build, project, out / "site", handbooks_dir=out / "hb", jobs=jobs)


def site_and_plain_seconds(project: Path, work: Path, rounds: int = 3) -> tuple[float, float]:
    """The site output (pages written, MkDocs, link check) and plain MkDocs on the same rendered
    pages, for every country: each measured `rounds` times, alternately, keeping the fastest, so
    that the machine's noise does not decide the engine's overhead."""
    loaded = load_project(project)
    editions = [resolve_edition(loaded, country).edition for country in sorted(loaded.profiles)]
    site = Site()
    site_best = plain_best = float("inf")
    for number in range(rounds):
        site_seconds = plain_seconds = 0.0
        for edition in editions:
            folder = work / str(number) / edition.country
            (folder / "work").mkdir(parents=True)
            seconds, _ = timed(site.write, edition, site.artifacts(edition, project)[0], folder / "site", project, folder / "work")
            site_seconds += seconds
            docs, built = folder / "plain-docs", folder / "plain-site"
            write_docs(edition, docs, project / SHIM_SOURCE)
            config_file = folder / "mkdocs.yml"
            config_file.write_text(yaml.safe_dump(mkdocs_config(edition, project, docs, built), allow_unicode=True, sort_keys=False), encoding="utf-8")
            seconds, _ = timed(run_mkdocs, config_file, edition, project)
            plain_seconds += seconds
        site_best, plain_best = min(site_best, site_seconds), min(plain_best, plain_seconds)
    return site_best, plain_best


def main() -> None:
    rows: list[tuple[str, str]] = []
    notes: list[str] = []
    scratch = Path(tempfile.mkdtemp(prefix="toolkit-bench-"))
    try:
        project = copy_project(scratch / "course")
        countries = len([p for p in (project / "country_profiles").glob("*.yaml") if p.stem != "schema"])

        # 0. Warm-up: imports and theme files are loaded once, not inside the first measure.
        pipeline.build(project, scratch / "warm-up", handbooks_dir=scratch / "warm-up-hb", jobs=1, outputs=["site"])

        # 1. The full build of the real countries, stage by stage, serially.
        load_seconds, loaded = timed(load_project, project)
        validate_seconds, _ = timed(validate_project, loaded)
        render_seconds, _ = timed(lambda: [resolve_edition(loaded, c) for c in sorted(loaded.profiles)])
        with recording_printed() as documents:
            full_seconds, built = cold_build(project, scratch / "full", jobs=1)
        results = built.countries
        rows += [
            (f"Full build, {countries} countries, serial (every output)", f"{full_seconds:.2f} s"),
            ("  load and validate", f"{load_seconds + validate_seconds:.2f} s ({(load_seconds + validate_seconds) / full_seconds:.1%})"),
            ("  render and lint (all countries, once)", f"{render_seconds:.2f} s ({render_seconds / full_seconds:.1%})"),
        ]
        for output in registered_outputs():  # what each output costs, summed over the countries
            seconds = sum(r.seconds.get(output.name, 0) for r in results)
            rows.append((f"  {output.name} ({OUTPUT_WHAT.get(output.name, output.name)})", f"{seconds:.2f} s ({seconds / full_seconds:.1%})"))

        # 2. Plain WeasyPrint on the same documents: the printing's overhead (parts, cache, assembly).
        printed_seconds = sum(r.seconds.get(name, 0) for r in results for name in PRINTED)
        pages = sum(len(PdfReader(io.BytesIO(pdf)).pages) for _, pdf in documents)
        plain_seconds = plain_weasyprint_seconds(documents, project, scratch / "plain-weasyprint")
        rows += [
            (f"Printed outputs of the full build ({len(documents)} PDFs: {', '.join(PRINTED)})", f"{pages} pages in {printed_seconds:.2f} s ({pages / printed_seconds:.1f} pages/s)"),
            ("Plain WeasyPrint, the same documents laid out whole, tagged", f"{plain_seconds:.2f} s ({pages / plain_seconds:.1f} pages/s)"),
            ("Printed outputs / plain WeasyPrint", f"{printed_seconds / plain_seconds:.3f}"),
        ]

        # 3. Plain MkDocs on the same pages: the engine's overhead on the site stage.
        site_best, plain = site_and_plain_seconds(project, scratch / "plain")
        rows += [
            ("Site output, fastest of 3 (write pages, MkDocs, link check)", f"{site_best:.2f} s"),
            ("Plain `mkdocs build` of the same rendered pages, fastest of 3", f"{plain:.2f} s"),
            ("Site output / plain MkDocs (engine overhead)", f"{site_best / plain:.3f} ({site_best / plain - 1:+.1%})"),
        ]

        # 4. Rebuilds: nothing touched; one module; one country's profile (the part cache kept).
        nothing, _ = timed(pipeline.build, project, scratch / "full" / "site", handbooks_dir=scratch / "full" / "hb", jobs=1)
        rows.append(("Rebuild, nothing touched", f"{nothing:.2f} s ({nothing / full_seconds:.1%} of the full build)"))
        # A module the three-day programme teaches and the one-day programme does not.
        module = project / "modules" / "evidencia-digital" / "index.md"
        module.write_text(module.read_text(encoding="utf-8") + "\nPárrafo añadido para medir una recompilación.\n", encoding="utf-8")
        one_module, results = timed(pipeline.build, project, scratch / "full" / "site", handbooks_dir=scratch / "full" / "hb", jobs=1)
        redone = sorted(f"{r.country}: {', '.join(r.built)}" for r in results.countries if r.built)
        rows.append(("Rebuild, one module touched (taught in one of the two programmes)", f"{one_module:.2f} s ({one_module / full_seconds:.1%})"))
        notes.append("One module touched redoes: " + "; ".join(redone) + ".")
        profile = project / "country_profiles" / "peru.yaml"
        profile.write_text(profile.read_text(encoding="utf-8").replace('edition: "2026-1"', 'edition: "2026-2"'), encoding="utf-8")
        one_country, results = timed(pipeline.build, project, scratch / "full" / "site", handbooks_dir=scratch / "full" / "hb", jobs=1)
        redone = sorted(f"{r.country}: {', '.join(r.built)}" for r in results.countries if r.built)
        rows.append(("Rebuild, one country's profile touched", f"{one_country:.2f} s ({one_country / full_seconds:.1%})"))
        notes.append("One profile touched redoes: " + "; ".join(redone) + ".")

        # 5. Serial against parallel: four countries; then twelve, in parallel. Each from an empty part cache.
        four = synthetic(scratch / "four", 4)
        serial, _ = cold_build(four, scratch / "four-serial", jobs=1)
        parallel, _ = cold_build(four, scratch / "four-parallel", jobs=os.cpu_count() or 1)
        shutil.rmtree(four)
        twelve = synthetic(scratch / "twelve", 12)
        twelve_seconds, _ = cold_build(twelve, scratch / "twelve-parallel", jobs=os.cpu_count() or 1)
        shutil.rmtree(twelve)
        rows += [
            ("4 countries, serial (--jobs 1)", f"{serial:.2f} s"),
            (f"4 countries, parallel (--jobs {os.cpu_count()})", f"{parallel:.2f} s (speed-up {serial / parallel:.2f}×)"),
            (f"12 countries, parallel (--jobs {os.cpu_count()}), every output", f"{twelve_seconds:.2f} s ({twelve_seconds / parallel * 4 / 12:.2f}× the 4-country time per country)"),
        ]

        # 6. How cost grows: sites only, serial, countries × modules.
        for count, copies in ((4, 1), (16, 1), (32, 1), (4, 4)):
            corpus = synthetic(scratch / f"corpus-{count}-{copies}", count, copies)
            modules = len([p for p in (corpus / "modules").iterdir() if p.is_dir()])
            seconds, _ = timed(pipeline.build, corpus, scratch / f"out-{count}-{copies}", handbooks_dir=scratch / f"hb-{count}-{copies}", jobs=1, outputs=["site"])
            rows.append((f"Sites only, {count} countries × {modules} modules, serial", f"{seconds:.2f} s ({seconds / (count * modules) * 1000:.1f} ms per country-module)"))
            shutil.rmtree(corpus)

        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows.append(("Peak memory (resident)", f"{own:.0f} MiB in the main process, {workers:.0f} MiB in the largest worker"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    report = [
        "# Benchmark results",
        "",
        "- Command: `python bench/run.py`",
        f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, {_memory()}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}",
        "",
        "| measure | result |",
        "|---|---|",
        *[f"| {name.strip()} | {value} |" for name, value in rows],
        "",
        *[f"- {note}" for note in notes],
    ]
    text = "\n".join(report) + "\n"
    print(text)
    results_file = ROOT / "bench" / "RESULTS.md"
    previous = results_file.read_text(encoding="utf-8") if results_file.exists() else ""
    kept = previous[previous.index(HAND_MARK):] if HAND_MARK in previous else HAND_MARK + "\n"
    results_file.write_text(text + "\n" + kept, encoding="utf-8")


def _memory() -> str:
    try:
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        return f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        return "memory unknown"


if __name__ == "__main__":
    main()
