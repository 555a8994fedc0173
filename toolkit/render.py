"""Stage 3, render: a module's templated Markdown plus a country profile give Markdown.

Templates run in Jinja's sandbox and cannot reach Python internals, files or the
environment. A key the profile lacks is never silently blank: in strict mode it stops the
render naming the module, line and key path; in collect mode (check) it is recorded and
rendering goes on, so one run lists every missing key.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing

from .grammar import GrammarError, grammar_filters
from .load import MODULES_DIR, Module

TRAINER_BLOCK_TYPES = ("trainer", "answer")
_TRAINER_BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?:" + "|".join(TRAINER_BLOCK_TYPES) + r")\b")


@dataclass(frozen=True)
class MissingKeyUse:
    """A place where a template used a key the profile does not have."""

    key_path: str
    template: str  # project-relative path of the template
    line: int


class MissingKeyError(Exception):
    def __init__(self, use: MissingKeyUse):
        super().__init__(use.key_path)
        self.use = use


class RenderFailure(Exception):
    """Any other template error, located in the module file."""

    def __init__(self, template: str, line: int, message: str):
        super().__init__(message)
        self.template, self.line, self.message = template, line, message


@dataclass
class Collector:
    """Collect mode: a missing key is recorded and shown as placeholder(key_path), not raised.

    check uses it to list every missing key at once, draft builds to highlight what is still
    to adapt, and the usage map to learn which profile keys each module reads.
    """

    uses: list[MissingKeyUse] = field(default_factory=list)
    placeholder: Callable[[str], str] = "«{}»".format
    accessed: set[str] | None = None  # profile key paths read, when tracked


# The collector of the render in progress; None renders strictly.
_collector: ContextVar[Collector | None] = ContextVar("collector", default=None)


def current_collector() -> Collector | None:
    """The collector of the render in progress (None: the render is strict)."""
    return _collector.get()


class ProfileDict(dict):
    """A profile mapping that knows its own key path, so a missing child can name itself."""

    def __init__(self, items, key_path: str):
        super().__init__(items)
        self._key_path = key_path

    def __getitem__(self, key):
        collector = _collector.get()
        if collector is not None and collector.accessed is not None:
            collector.accessed.add(f"{self._key_path}.{key}" if self._key_path else str(key))
        return super().__getitem__(key)


class ProfileStr(str):
    """A profile text that knows its key path, so the rendering lint can name the key."""

    def __new__(cls, text: str = "", key_path: str = ""):
        value = super().__new__(cls, text)
        value.key_path = key_path
        return value


# Messages about a profile text (the sandbox's refusals) speak of a 'str', as the author wrote it.
ProfileStr.__name__ = "str"


def wrap_profile(value, key_path: str = ""):
    """Profile data as ProfileDicts all the way down; lists keep their children's paths."""
    if isinstance(value, dict):
        return ProfileDict({k: wrap_profile(v, f"{key_path}.{k}" if key_path else str(k)) for k, v in value.items()}, key_path)
    if isinstance(value, list):
        return [wrap_profile(v, f"{key_path}[{i}]") for i, v in enumerate(value)]
    if type(value) is str:
        return ProfileStr(value, key_path)
    return value


def template_position() -> tuple[str, int]:
    """The file and line now being rendered, read from Jinja's compiled frames."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            # Course files are named by their project-relative path; the toolkit's own pages by file name.
            name = template.name if "/" in template.name else f"toolkit/templates/{template.name}"
            return name, _template_line(template, frame.f_lineno)
        frame = frame.f_back
    return "", 0


@functools.lru_cache(maxsize=65536)
def _template_line(template, code_line: int) -> int:
    """Jinja's template line for a line of its compiled code; Jinja scans its whole table each
    time, and the traced render asks for every value written."""
    return template.get_corresponding_lineno(code_line)


class ProfileUndefined(StrictUndefined):
    """A profile key a template names but the profile lacks; chains so the full path is kept."""

    __slots__ = ("key_path",)

    def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError, key_path=None):
        if isinstance(obj, ProfileUndefined) and obj._undefined_exception is SecurityError:
            hint, exc = obj._undefined_hint, SecurityError  # what follows a refused attribute stays refused
        super().__init__(hint, obj, name, exc)
        if key_path is None:
            parent = getattr(obj, "_key_path", "") if isinstance(obj, ProfileDict) else ""
            key_path = f"{parent}.{name}" if parent else str(name)
        self.key_path = key_path

    def __getattr__(self, name):
        # Dunders, and what the sandbox asks of anything called, are not profile keys.
        if name[:2] == "__" or name in ("unsafe_callable", "alters_data"):
            raise AttributeError(name)
        return self._child(f"{self.key_path}.{name}")

    def __getitem__(self, key):
        return self._child(f"{self.key_path}[{key}]" if isinstance(key, int) else f"{self.key_path}.{key}")

    def _child(self, key_path: str) -> "ProfileUndefined":
        return ProfileUndefined(self._undefined_hint, exc=self._undefined_exception, key_path=key_path)

    def _fail_with_undefined_error(self, *args, **kwargs):
        template, line = template_position()
        if self._undefined_exception is SecurityError:  # the sandbox refused an attribute
            raise RenderFailure(template, line, f"not allowed in a module: {self._undefined_hint}")
        use = MissingKeyUse(self.key_path, template, line)
        collector = _collector.get()
        if collector is None:
            raise MissingKeyError(use)
        collector.uses.append(use)
        return collector

    def __str__(self):
        return self._fail_with_undefined_error().placeholder(self.key_path)

    def __bool__(self):
        self._fail_with_undefined_error()
        return False

    def __call__(self, *args, **kwargs):
        self._fail_with_undefined_error()
        return self

    def __iter__(self):
        self._fail_with_undefined_error()
        return iter(())

    def __len__(self):
        self._fail_with_undefined_error()
        return 0

    __html__ = __str__
    __eq__ = __ne__ = __hash__ = __contains__ = __lt__ = __le__ = __gt__ = __ge__ = __int__ = __float__ = __add__ = __radd__ = __mul__ = __rmul__ = __mod__ = __neg__ = __pos__ = __truediv__ = __floordiv__ = __sub__ = __rsub__ = StrictUndefined._fail_with_undefined_error


@contextmanager
def collecting(collector: Collector | None):
    """Render in collect mode with collector (None: strictly) for the duration of the block."""
    token = _collector.set(collector)
    try:
        yield collector
    finally:
        _collector.reset(token)


# What the rendering lint sees around every inserted value: where it was written and its key.
TRACE_START, TRACE_SEP, TRACE_MID, TRACE_END = "\ue010", "\ue01f", "\ue011", "\ue012"


_TRACE_MARKS = re.compile(f"{TRACE_START}[^{TRACE_MID}]*{TRACE_MID}|{TRACE_END}")


def untraced(text: str) -> str:
    """A traced rendering as the reader gets it: every trace mark removed."""
    return _TRACE_MARKS.sub("", text)


def _trace_value(value):
    """In a traced render, every value written by '{{ }}' is wrapped with its file, line and key."""
    template, line = template_position()
    head = f"{TRACE_START}{template}{TRACE_SEP}{line}{TRACE_SEP}{getattr(value, 'key_path', '')}{TRACE_MID}"
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return Markup(head) + Markup(value) + Markup(TRACE_END)
    return head + str(value) + TRACE_END


@functools.cache
def sandboxed_environment(templates_dir: Path, undefined: type = ProfileUndefined, traced: bool = False) -> SandboxedEnvironment:
    """The sandboxed environment module bodies and the toolkit's own pages render in.

    Autoescape is on: a profile value holding '<script>' reaches the page as text. The grammar
    filters ('el', 'de', 'ante', 'verb'…) write names with their articles. traced: for the
    rendering lint, every value written is wrapped with where it came from.
    """
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
        undefined=undefined,
        autoescape=True,
        # A block tag on its own line leaves no blank line behind: loops inside tables work.
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=_trace_value if traced else None,
    )
    environment.filters.update(grammar_filters())
    return environment


def parsed_module(module: Module, modules_dir: Path):
    """The module body's template tree, for reading what it includes or asks for; None when it
    does not parse (rendering reports that, with its line)."""
    return _parsed(modules_dir, module.body)


@functools.lru_cache(maxsize=256)
def _parsed(modules_dir: Path, body: str):
    """Each body is parsed once, however many checks read its tree (they do not change it)."""
    try:
        return sandboxed_environment(modules_dir).parse(body)
    except TemplateSyntaxError:
        return None


def render_module_body(module: Module, context: dict, modules_dir: Path, traced: bool = False) -> str:
    """The module body rendered for one country's context (see render_text)."""
    return render_text(module.body, module.body_first_line, module.rel_path, context, modules_dir, traced)


def render_text(text: str, first_line: int, rel_path: str, context: dict, modules_dir: Path, traced: bool = False) -> str:
    """Render templated text that starts on first_line of the file rel_path (under modules/).

    The text is shifted down by first_line - 1 empty lines so template lines are file lines.
    Strict unless called inside collecting(): a missing key raises MissingKeyError.
    """
    if not any(opening in text for opening in ("{{", "{%", "{#")):
        return "\n" * (first_line - 1) + text  # nothing to render: most item texts, the same in every country
    try:
        return _compiled(modules_dir, rel_path, first_line, text, traced).render(context)
    except (MissingKeyError, RenderFailure):
        raise
    except TemplateSyntaxError as err:
        raise RenderFailure(rel_path, err.lineno or 0, f"template syntax error: {err.message}") from None
    except TemplateNotFound as err:
        message = f"includes '{err.name}', which is not a file under {MODULES_DIR}/ (include paths are relative to {MODULES_DIR}/ and cannot leave it)"
        raise RenderFailure(rel_path, _line_in_traceback(err, rel_path), message) from None
    except SecurityError as err:
        raise RenderFailure(rel_path, _line_in_traceback(err, rel_path), f"not allowed in a module: {err}") from None
    except TemplateError as err:
        raise RenderFailure(rel_path, _line_in_traceback(err, rel_path), f"template error: {err.message or err}") from None
    except GrammarError as err:
        raise RenderFailure(err.template or rel_path, err.line, f"template error: {err}") from None
    except Exception as err:  # a template that calls something the wrong way
        raise RenderFailure(rel_path, _line_in_traceback(err, rel_path), f"template error: {type(err).__name__}: {err}") from None


@functools.lru_cache(maxsize=8192)  # every templated text of the course, modules and items, for every country
def _compiled(modules_dir: Path, rel_path: str, first_line: int, text: str, traced: bool = False):
    """Each text is compiled once, however many countries render it."""
    template = sandboxed_environment(modules_dir, traced=traced).from_string("\n" * (first_line - 1) + text)
    template.name = rel_path
    return template


def _line_in_traceback(err: BaseException, template_name: str) -> int:
    line = 0
    traceback = err.__traceback__
    while traceback is not None:
        template = traceback.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.name == template_name:
            line = template.get_corresponding_lineno(traceback.tb_lineno)
        traceback = traceback.tb_next
    return line


def strip_trainer_blocks(markdown: str) -> str:
    """The participant version: every 'trainer' and 'answer' admonition removed, nested ones too."""
    kept = []
    skip_deeper_than = None
    for line in markdown.splitlines(keepends=True):
        if skip_deeper_than is not None:
            indent = len(line) - len(line.lstrip(" \t"))
            if not line.strip() or indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        match = _TRAINER_BLOCK.match(line)
        if match:
            skip_deeper_than = len(match.group("indent").expandtabs(4))
            continue
        kept.append(line)
    return "".join(kept)
