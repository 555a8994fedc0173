"""The toolkit's own words per language (toolkit/i18n/<language>.yaml)."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import yaml

I18N = Path(__file__).parent / "i18n"
LANGUAGES = sorted(path.stem for path in I18N.glob("*.yaml"))
DEFAULT_LANGUAGE = "es"


def folded(text: str) -> str:
    """Text as a reader compares it: without accents or case ('Órgano' is 'organo')."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


@functools.cache
def labels(language: str) -> dict:
    """The toolkit's own words in a language."""
    return yaml.safe_load((I18N / f"{language}.yaml").read_text(encoding="utf-8"))


def language_of(language) -> str:
    """A profile's language, or the default one while the profile names none the toolkit knows."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def words_of(language) -> dict:
    """The words of a profile's language (see language_of)."""
    return labels(language_of(language))


@functools.cache
def to_fill_markers() -> frozenset[str]:
    """What 'new-country' writes for a value still to fill, in every language the toolkit knows."""
    return frozenset(labels(language)["to_fill"] for language in LANGUAGES)


def is_to_fill(value) -> bool:
    """A profile or case-key value nobody has filled in yet."""
    return isinstance(value, str) and value in to_fill_markers()
