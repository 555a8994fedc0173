"""The rendering lint: what a value does to the sentence it lands in, for every module × country.

Modules are rendered traced (every inserted value wrapped with its file, line and profile key),
and the Spanish text is read for what breaks where values meet prose: doubled punctuation,
unbalanced or nested parentheses, a name that needs its article after a preposition, a list
introduction with nothing after it, 'None', a value still to fill, a research note. Each finding
names the file and line that wrote the text, the country, and the profile key when a value did.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from .errors import Problem
from .markers import resolve_markers
from .render import TRACE_END, TRACE_MID, TRACE_SEP, TRACE_START
from .grammar import PREPOSITIONS, is_plural

_DOUBLED = re.compile(r"(?<![.])\.\.(?![.])|[,;:] *[.,;:](?![.])|\. *[,;:]")
_MASKED = re.compile(r"\]\([^)\s]*\)|<[^>\n]*>|https?://\S+|`[^`\n]*`")
# Enumerations are not parentheses: "(1) contexto", "(a)", and options "a) … b) …".
_ENUMERATOR = re.compile(r"\((?:[a-zA-Z]|\d{1,2}|[ivx]{1,4})\)|(?:(?<=^)|(?<=\s))[a-h]\)|^\s*\d{1,2}\)", re.M)
_BARE_WORDS = re.compile(r"\b(None|True|False)\b")
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+\.\s|\||#|!!!|\?\?\?)")



@dataclass
class _Span:
    start: int
    end: int
    template: str
    line: int
    key: str


_TRACE_MARK = re.compile(f"{TRACE_START}([^{TRACE_MID}]*){TRACE_MID}|{TRACE_END}")


def untrace(text: str) -> tuple[str, list[_Span]]:
    """Text without trace marks, and where each inserted value sits in it (innermost last)."""
    clean: list[str] = []
    spans: list[_Span] = []
    stack: list[_Span] = []
    position = last = 0
    for mark in _TRACE_MARK.finditer(text):
        chunk = text[last : mark.start()]
        clean.append(chunk)
        position += len(chunk)
        last = mark.end()
        if mark.group(1) is not None:
            template, line, key = mark.group(1).split(TRACE_SEP)
            stack.append(_Span(position, -1, template, int(line), key))
        elif stack:
            span = stack.pop()
            span.end = position
            spans.append(span)
    clean.append(text[last:])
    return "".join(clean), spans


def text_blocks(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each paragraph, list item or table row: where a sentence can run."""
    blocks, start, lines = [], 0, []
    offset = 0
    for line in text.split("\n"):
        if not line.strip() or _BLOCK_START.match(line):
            if lines:
                blocks.append((start, "\n".join(lines)))
            lines, start = ([line], offset) if line.strip() else ([], offset + len(line) + 1)
        else:
            if not lines:
                start = offset
            lines.append(line)
        offset += len(line) + 1
    if lines:
        blocks.append((start, "\n".join(lines)))
    return blocks


def _masked(text: str) -> str:
    """Link targets, HTML tags, URLs and code spans blanked out, lengths kept."""
    return _MASKED.sub(lambda m: m.group()[0] + " " * (len(m.group()) - 1) if m.group().startswith("]") else " " * len(m.group()), text)


def findings(text: str, names: dict[str, str], draft: bool, words: dict, plural_names: tuple[str, ...] = ()) -> list[tuple[int, int, str]]:
    """(start, end, what) of every problem in clean rendered text."""
    found = []
    rules = words["lint"]
    notes = tuple(p.casefold() for p in words["research_note_phrases"] if p.casefold() != words["to_confirm"].casefold())
    abbreviations, singular_verb, bare_name, any_note = _patterns(tuple(rules["abbreviations"]), tuple(rules["prepositions"]), tuple(rules["clitics"]),
                                                                  tuple(rules["plural_articles"]), tuple(names), plural_names, notes)
    blocks = text_blocks(text)
    for index, (offset, block) in enumerate(blocks):
        masked = _masked(block)
        for match in _DOUBLED.finditer(masked):
            before = re.search(r"([\wº.]+)\.$", masked[: match.start() + 1])
            # An abbreviation or initials ("art.", "etc.", "V.R.P.") may be followed by a comma.
            if match.group().startswith(".") and before and (before.group(1).casefold() in abbreviations or re.fullmatch(r"(?:[A-ZÁÉÍÓÚÑ]\.)*[A-ZÁÉÍÓÚÑ]", before.group(1))):
                continue
            found.append((offset + match.start(), offset + match.end(), f"doubled or stray punctuation '{match.group()}'"))
        depth, opened = 0, []
        parentheses = _ENUMERATOR.sub(lambda m: " " * len(m.group()), masked) if "(" in masked or ")" in masked else ""
        for found_paren in re.finditer(r"[()]", parentheses):
            position, char = found_paren.start(), found_paren.group()
            if char == "(":
                depth += 1
                opened.append(position)
                if depth == 2:
                    found.append((offset + position, offset + position + 1, "nested parentheses '(… (…))'; rephrase so that one parenthesis holds one aside"))
            elif char == ")":
                if depth == 0:
                    found.append((offset + position, offset + position + 1, "a ')' closes nothing"))
                else:
                    depth -= 1
                    opened.pop()
        for position in opened:
            found.append((offset + position, offset + position + 1, "a '(' is never closed"))
        if bare_name:
            for match in bare_name.finditer(masked):
                found.append((offset + match.start(), offset + match.end(), f"'{match.group()}': {names[match.group(1)]} takes an article; write the name through a grammar filter (for example '| {_filter_for(match.group().split()[0])}')"))
        if singular_verb:
            for match in singular_verb.finditer(masked):
                if match.group("verb").casefold() not in rules["not_verbs"]:
                    found.append((offset + match.start(), offset + match.end(), f"'{match.group()}': a singular verb before a plural name; write the verb through '| verb(singular, plural)'"))
        for match in _BARE_WORDS.finditer(masked):
            found.append((offset + match.start(), offset + match.end(), f"'{match.group()}' from Python reached the text"))
        if not draft and words["to_fill"] in block:
            at = block.index(words["to_fill"])
            found.append((offset + at, offset + at + len(words["to_fill"]), f"'{words['to_fill']}' reached the text of a finished edition"))
        folded = block.casefold()
        for phrase in notes if any_note and any_note.search(folded) else ():
            at = folded.find(phrase)
            if at >= 0:
                found.append((offset + at, offset + at + len(phrase), f"a research note ('{phrase}') reached the text; notes belong in the fact's 'evidence'"))
        stripped = block.rstrip()
        following = blocks[index + 1][1] if index + 1 < len(blocks) else ""
        if stripped.endswith(":") and not re.match(r"^(\s{2,}|\s*(?:[-*+]\s|\d+\.\s|\||!!!|\?\?\?))", following):
            found.append((offset + len(stripped) - 1, offset + len(stripped), "a list introduction ends with ':' and nothing follows it"))
        empty_cell = re.search(r":\s*\|", masked)
        if empty_cell:
            found.append((offset + empty_cell.start(), offset + empty_cell.start() + 1, "a list introduction ends with ':' and nothing follows it"))
    return found


@functools.lru_cache(maxsize=64)
def _patterns(abbreviations, prepositions, clitics, plural_articles, names, plural_names, notes):
    """The lint's patterns for one language and one profile's names, compiled once for every page."""
    # A clitic, a singular verb and a plural name as its subject: "Las dicta las Comisarías".
    singular_verb = re.compile(rf"\b(?:{'|'.join(clitics)})\s+(?P<verb>\w{{3,}}[ae])\s+(?:{'|'.join(plural_articles)})\s+(?:{'|'.join(re.escape(n) for n in plural_names)})\b", re.I) if plural_names else None
    bare_name = re.compile(rf"\b(?:{'|'.join(re.escape(p) for p in prepositions)})\s+({'|'.join(re.escape(n) for n in sorted(names, key=len, reverse=True))})\b") if names else None
    any_note = re.compile("|".join(re.escape(n) for n in notes)) if notes else None  # most blocks have none
    return frozenset(a.casefold() for a in abbreviations), singular_verb, bare_name, any_note


def _filter_for(word: str) -> str:
    """The grammar filter that writes a name after this word (the article alone after others)."""
    return word if word in PREPOSITIONS else "el"


def _where(start: int, end: int, spans: list[_Span], text: str, fallback: tuple[str, int, list[str]]) -> tuple[str, int, str]:
    """File, line and key of the value at or next to a finding; else the line whose text wrote it."""
    touching = [s for s in spans if s.start <= end and start <= s.end]
    if touching:
        best = min(touching, key=lambda s: (s.end - s.start, -s.start))
        keyed = [s for s in touching if s.key]
        key = min(keyed, key=lambda s: s.end - s.start).key if keyed else ""
        return best.template, best.line, key
    path, first_line, source = fallback
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    output_line = text[line_start : line_end if line_end >= 0 else None].strip()
    probe = re.sub(r"\s+", " ", output_line)[:40]
    same_line = [s for s in spans if text.rfind("\n", 0, s.start) + 1 == line_start]
    if same_line:
        return same_line[0].template, same_line[0].line, ""
    for number, source_line in enumerate(source, first_line):
        if probe and probe in re.sub(r"\s+", " ", source_line):
            return path, number, ""
    return path, 0, ""


def lint_rendered(traced: str, country: str, names: dict[str, str], draft: bool, words: dict, fallback: tuple[str, int, list[str]], plural_names: tuple[str, ...] = ()) -> list[Problem]:
    """The problems of one traced rendering, each located in the file and line that wrote it."""
    # The lint reads the text a judge reads: entities such as &#39; are the characters they stand for.
    text, spans = untrace(html.unescape(resolve_markers(traced, None)))
    problems = []
    for start, end, what in findings(text, names, draft, words, plural_names):
        path, line, key = _where(start, end, spans, text, fallback)
        suffix = f" (profile key '{key}')" if key else ""
        problems.append(Problem(path, line, f"{country}: {what}{suffix}", key_path=key, country=country))
    return problems


def article_names(profile: dict) -> dict[str, str]:
    """Every name in the profile that takes an article, with a description of what it is."""
    return {name: what for name, (what, _) in _named_values(profile).items()}


def plural_names(profile: dict) -> tuple[str, ...]:
    """The names in the profile that take plural agreement."""
    return tuple(name for name, (_, plural) in _named_values(profile).items() if plural)


def _named_values(profile: dict) -> dict[str, tuple[str, bool]]:
    found = {}

    def add(value, what):
        if isinstance(value, dict) and isinstance(value.get("name"), str) and value.get("article") in ("el", "la", "los", "las"):
            found[value["name"]] = (f"'{value['name']}' ({what})", is_plural(value))

    add(profile.get("judicial_school"), "judicial_school")
    for key, value in (profile.get("institutions") or {}).items():
        add(value, f"institutions.{key}")
    for key, value in (profile.get("instruments") or {}).items():
        add(value, f"instruments.{key}")
    add((profile.get("terminology") or {}).get("prosecution_office"), "terminology.prosecution_office")
    for index, value in enumerate((profile.get("protection_measures") or {}).get("granted_by") or []):
        add(value, f"protection_measures.granted_by[{index}]")
    for route, value in (profile.get("routes") or {}).items():
        for index, item in enumerate((value or {}).get("institutions") or []):
            add(item, f"routes.{route}.institutions[{index}]")
    return found

