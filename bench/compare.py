#!/usr/bin/env python3
"""The engine at an earlier revision against the working tree, in one run, on the same inputs.

    python bench/compare.py REV [--rounds N]

Both engines build the same project copies: the real course (sites and handbooks) and a
synthetic 16-country corpus (sites only). They run alternately, each build in a fresh Python
process, and the fastest of N rounds is kept, so the machine's load at one moment does not
decide the ratio. Prints a Markdown table of the two times and new/old.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import copy_project, synthetic  # noqa: E402

# How an engine is asked for sites only: `outputs` came with the output plug-ins; before, no handbooks folder.
SITES_ONLY = "**({'handbooks_dir': Path(OUT + '-hb'), 'outputs': ['site']} if 'outputs' in inspect.signature(pipeline.build).parameters else {'handbooks_dir': None})"
EVERYTHING = "handbooks_dir=Path(OUT + '-hb')"


def build_seconds(engine: Path, project: Path, out: Path, options: str) -> float:
    """One build in a fresh process with the engine at `engine`; its time as the engine measures it."""
    code = (f"import inspect, sys, time; sys.path.insert(0, {str(engine)!r})\n"
            "from pathlib import Path\nfrom toolkit import pipeline\n"
            f"OUT = {str(out)!r}\n"
            f"started = time.perf_counter(); pipeline.build(Path({str(project)!r}), Path(OUT), jobs=1, {options}); print(time.perf_counter() - started)\n")
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(result.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the earlier revision (a commit, tag or branch)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="toolkit-compare-"))
    old = scratch / "old-engine"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old), args.revision], check=True)
    try:
        real = copy_project(scratch / "real")
        corpus = synthetic(scratch / "corpus", 16)
        engines = {"old": old, "new": ROOT}
        measures = [("Sites only, 16 countries × 9 modules", corpus, SITES_ONLY), ("Full build, 3 countries (sites and handbooks)", real, EVERYTHING)]
        rows = []
        for name, project, options in measures:
            best = {}
            for number in range(args.rounds):
                for engine, path in engines.items():
                    seconds = build_seconds(path, project, scratch / f"out-{engine}-{number}-{len(rows)}", options)
                    best[engine] = min(best.get(engine, float("inf")), seconds)
                    print(f"  {name}, {engine}, round {number + 1}: {seconds:.2f} s", file=sys.stderr, flush=True)
            rows.append(f"| {name} | {best['old']:.2f} s | {best['new']:.2f} s | {best['new'] / best['old']:.3f} |")
        print(f"Engine at {args.revision} (old) against the working tree (new), fastest of {args.rounds}, alternating, serial:\n")
        print("| measure | old | new | new / old |\n|---|---|---|---|")
        print("\n".join(rows))
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
