#!/usr/bin/env python3
"""The whole project, as it stood at earlier revisions and as it stands now, built from scratch.

    python bench/history.py REV [REV ...] [--rounds N]

Unlike compare.py (two engines on the same inputs), each revision builds its own course: its
modules, profiles, programmes and outputs. This is how an issue's bound on "the full build" is
measured against the build before it. Every build is serial (jobs=1), in a fresh process, on
its own worktree, with no part cache; revisions alternate and the fastest of N rounds is kept.
Prints a Markdown table of the seconds and of now / each revision.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from compare import EVERYTHING, ROOT, build_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revisions", nargs="+", help="earlier revisions (commits, tags or branches)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="toolkit-history-"))
    trees = {}
    for revision in [*args.revisions, "HEAD"]:
        trees[revision] = scratch / revision
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(trees[revision]), revision], check=True)
        (trees[revision] / "node_modules").symlink_to(ROOT / "node_modules")  # the site's search index builder
    trees["now"] = trees.pop("HEAD")
    try:
        best: dict[str, float] = {}
        for number in range(args.rounds):
            for name, tree in trees.items():
                shutil.rmtree(tree / ".cache", ignore_errors=True)  # from scratch: no laid-out parts
                seconds = build_seconds(tree, tree, scratch / f"out-{name}-{number}", EVERYTHING)
                best[name] = min(best.get(name, float("inf")), seconds)
                print(f"round {number + 1}: {name} {seconds:.1f} s", flush=True)
        print("\n| revision | full build, serial, from scratch | now / revision |\n|---|---|---|")
        for name in trees:
            print(f"| {name} | {best[name]:.1f} s | {best['now'] / best[name]:.2f} |")
    finally:
        for tree in trees.values():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
