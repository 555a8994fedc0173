"""Read YAML into plain Python values while remembering the line of every key.

PyYAML silently keeps the last of two equal keys; a profile edited by many hands must not,
so duplicates are errors. Lines are kept so that every later message can name one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem

KeyPath = tuple  # of str (mapping keys) and int (list indexes)

# Bounds that no course file comes near: YAML anchors can make a small file expand without
# limit (an "alias bomb"), so both the text and the values built from it are capped.
MAX_BYTES = 2 * 1024 * 1024
MAX_VALUES = 100_000


@dataclass
class YamlDocument:
    """Parsed YAML and, for every key path, the 1-based line it was written on."""

    path: str
    data: object
    lines: dict = field(default_factory=dict)
    text: str = ""  # as read, for what needs its lines (a block's first line, a privacy scan)

    def line_of(self, key_path: KeyPath) -> int:
        """The line of the deepest written part of key_path (a missing key points at its parent)."""
        key_path = tuple(key_path)
        while key_path and key_path not in self.lines:
            key_path = key_path[:-1]
        return self.lines.get(key_path, 1)


class YamlError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def read_text(abs_path: Path, rel_path: str) -> str:
    """The file's text; an empty or non-UTF-8 file is an error that says so."""
    raw = abs_path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - raw.rfind(b"\n", 0, err.start)
        raise YamlError(Problem(rel_path, line, f"is not UTF-8 text (column {column}); save the file as UTF-8")) from None
    if not text.strip():
        raise YamlError(Problem(rel_path, 0, "is empty; it must hold a YAML mapping"))
    if len(raw) > MAX_BYTES:
        raise YamlError(Problem(rel_path, 0, f"is {len(raw) // 1024} KiB, over the {MAX_BYTES // 1024 // 1024} MiB a course file may have; split it or remove what does not belong"))
    return text.removeprefix("\ufeff")


# libyaml's parser when PyYAML has it: the same nodes and marks, ten times faster. Python's
# parser words a syntax error better ("expected ',' or ']', but got ':'"), so it explains them.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, rel_path: str, first_line: int = 1, loader_class=_FAST_LOADER) -> YamlDocument:
    """Parse one YAML document; first_line shifts lines for YAML embedded in a larger file."""
    offset = first_line - 1
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlError(Problem(rel_path, first_line, "holds no YAML value; it must hold a mapping"))
        document = YamlDocument(rel_path, None, text=text)
        document.data = _construct(loader, node, (), document, offset, [0])
        return document
    except yaml.MarkedYAMLError as err:
        if loader_class is not yaml.SafeLoader:
            return parse_yaml(text, rel_path, first_line, yaml.SafeLoader)
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + offset if mark else first_line
        column = mark.column + 1 if mark else 0
        reason = err.problem or err.context or "invalid YAML"
        raise YamlError(Problem(rel_path, line, f"YAML does not parse (column {column}): {reason}")) from None
    finally:
        loader.dispose()


def _construct(loader, node, key_path, document, offset, built):
    built[0] += 1
    if built[0] > MAX_VALUES:
        raise YamlError(Problem(document.path, node.start_mark.line + 1 + offset, f"expands to more than {MAX_VALUES} values, usually through anchors (&) and aliases (*) that repeat each other; write the values out or use fewer aliases"))
    document.lines.setdefault(key_path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + offset
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise YamlError(Problem(document.path, line, f"a key must be text, not {type(key).__name__}"))
            if key in result:
                first = document.lines[key_path + (key,)]
                where = dotted(key_path + (key,))
                raise YamlError(Problem(document.path, line, f"duplicate key '{where}' (first written on line {first}); keep one"))
            document.lines[key_path + (key,)] = line
            result[key] = _construct(loader, value_node, key_path + (key,), document, offset, built)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, key_path + (i,), document, offset, built) for i, item in enumerate(node.value)]
    value = loader.construct_object(node, deep=True)
    # Dates stay text as written, so every file reads the same way whether quoted or not.
    return value.isoformat() if isinstance(value, datetime.date) else value


def mappings_in(value, key_path: KeyPath = ()):
    """(key path, mapping) for every mapping in parsed YAML, the outer ones first."""
    if isinstance(value, dict):
        yield key_path, value
        for key, child in value.items():
            yield from mappings_in(child, key_path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from mappings_in(child, key_path + (index,))


def dotted(key_path) -> str:
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text

