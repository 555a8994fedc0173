"""Stage 4, publish: the outputs an edition is published as, each a plug-in.

An output says what it makes of an edition (its artifacts: each a file or a folder, public on
the site or for trainers only, with the inputs it is made from) and writes one artifact into
staging. A Packer (the offline package) is the one kind that reads what the others staged.
publish.py does the rest alike for every output: order, cache, staging, swap, progress and
parallelism. Adding an output is one module that calls register(); the built-in ones are
imported at the end of this file, in the manner of Sphinx builders.
"""

from __future__ import annotations

import abc
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, ToolkitError

if TYPE_CHECKING:
    from ..pages import Edition


@dataclass(frozen=True)
class Artifact:
    """One thing an output makes for one edition."""

    name: str  # in progress lines, messages and the cache manifest: 'site', 'handbook tot-3-dias'
    path: str  # under the country's folder, '/'-separated; '' is the folder itself
    public: bool  # on the site (--out), or for trainers only (--handbooks-out)
    inputs: tuple[str, ...]  # everything it is made from, as text: equal inputs, equal artifact


@dataclass(frozen=True)
class Download:
    """A file of a published edition linked from the landing page."""

    file: str  # under the edition's folder
    label: str  # the link's text
    details: str  # under the link: what it holds, how large


class Output(abc.ABC):
    """An output format. Instances are shared by every build, so they hold no build state."""

    name: str  # what 'build --output NAME' selects
    # The site: written after every other output but the packers, around the public files they
    # staged (a page links to a published handbook), and its cache key covers theirs.
    gathers_public: bool = False
    # Outputs of one edition with the same job name are built in one process, one after the other:
    # they print the same parts (the instruments are the handbook's), laid out once and then reused.
    # The others are each a job of their own, so the cores stay busy with few countries.
    job: str = ""

    @abc.abstractmethod
    def artifacts(self, edition: Edition, root: Path) -> list[Artifact]:
        """What this output makes of the edition, with the inputs that key its cache."""

    @abc.abstractmethod
    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        """Write artifact at target (work: a scratch folder of this edition); the problems its
        quality checks find fail the build and nothing is swapped in."""

    def downloads(self, folder: Path, record: dict, words: dict) -> list[Download]:
        """What the landing page offers to download of a published edition (its public folder
        and its publication record, whichever build put them there): nothing, unless an output
        says so."""
        return []


@dataclass(frozen=True)
class Staged:
    """What the outputs before a packer staged for an edition, each file by its path under its folder."""

    public: dict[str, Path]  # the site and the public files it carries
    private: dict[str, Path]  # the trainers' files


class Packer(Output):
    """An output that packs what every other output of the edition staged: written after all of
    them, the site included, and its cache key covers all of theirs (a public artifact the keys
    of the public files, a trainers' one every key). A packer not asked for is packed again
    when what it packs changed, so it never disagrees with the files published beside it."""

    @abc.abstractmethod
    def pack(self, edition: Edition, artifact: Artifact, target: Path, staged: Staged, work: Path) -> list[Problem]:
        """Write artifact at target from the staged files, as write does for other outputs."""

    def write(self, edition: Edition, artifact: Artifact, target: Path, root: Path, work: Path) -> list[Problem]:
        raise TypeError(f"output {self.name} packs the others: publish calls its pack()")


_REGISTRY: dict[str, Output] = {}


def register(output: Output) -> Output:
    """Make an output buildable by name; registering a name again replaces it."""
    _REGISTRY[output.name] = output
    return output


def registered_outputs(names=()) -> list[Output]:
    """The named outputs (every registered one when none is named), those gathering public files
    after the others, and packers after them all."""
    unknown = [n for n in names if n not in _REGISTRY]
    if unknown:
        raise ToolkitError(f"no output {', '.join(unknown)} (outputs: {', '.join(_REGISTRY)})")
    chosen = [_REGISTRY[n] for n in dict.fromkeys(names)] if names else list(_REGISTRY.values())
    return sorted(chosen, key=lambda output: (isinstance(output, Packer), output.gathers_public))


def merge_into(source: Path, target: Path) -> None:
    """Copy a file or folder to target, keeping what is already there: what staging holds was
    just built by another output and is newer than a published copy."""
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True, copy_function=lambda s, t: None if os.path.exists(t) else shutil.copy2(s, t))
    elif not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def output_names() -> list[str]:
    return list(_REGISTRY)


from . import handbook, instruments, moodle, site  # noqa: E402,F401  the built-in outputs register themselves
from . import workbook  # noqa: E402,F401
from . import slides  # noqa: E402,F401
from . import package  # noqa: E402,F401
