"""Problems a person can act on, and the one exception family the command line reports."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in one input file: where it is, what is wrong, how serious."""

    path: str  # project-relative, '/'-separated
    line: int  # 1-based; 0 when the file as a whole is meant
    message: str
    severity: str = "error"  # "error" or "warning"
    key_path: str = ""  # the profile key the problem is about, if any
    to_fill: bool = False  # a value still to fill in: a draft build may go ahead without it
    country: str = ""  # the profile a module problem was found with, if any

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class ToolkitError(click.ClickException):
    """An error meant for a person: printed as a message, never as a traceback."""


class ProblemsFound(ToolkitError):
    """The inputs have errors; each problem is reported on its own line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = sum(1 for p in self.problems if p.severity == "error")
        lines = [str(p) for p in self.problems]
        lines.append(count_line(errors, len(self.problems) - errors))
        super().__init__("\n".join(lines))

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def count_line(errors: int, warnings: int) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
