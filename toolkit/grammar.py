"""Names that carry their grammar: the filters module sentences write institutions through.

A profile names an institution with the article it takes ('el', 'la', 'los', 'las' or 'none')
and, where the article does not show it, whether it is plural. A module writes
'{{ institutions.prosecution | ante }}' and gets 'ante el Ministerio Público' in one country and
'ante la Fiscalía General del Estado' in another; 'de' and 'a' contract with 'el'. The words
(prepositions, contractions, the conjunction of a list) come from the language file.
"""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.runtime import Undefined
from markupsafe import Markup

from .keyed import KeyedMarkup

from .markers import unverified_marker
from .words import words_of

NO_ARTICLE = "none"
PLURAL_ARTICLES = ("los", "las")


class GrammarError(Exception):
    """A module wrote a value through a grammar filter that the value cannot take; knows where."""

    def __init__(self, message: str):
        from .render import template_position  # render registers these filters

        super().__init__(message)
        self.template, self.line = template_position()


def _is_named(value) -> bool:
    return isinstance(value, dict) and "name" in value


def is_plural(value) -> bool:
    """Whether a named value, or a list of them, takes plural agreement."""
    if isinstance(value, list):
        return len(value) > 1 or any(is_plural(item) for item in value)
    if _is_named(value):
        return bool(value.get("plural")) or value.get("article") in PLURAL_ARTICLES
    return False


def _with_article(item, preposition: str | None, grammar: dict) -> Markup:
    if isinstance(item, Undefined):
        return Markup(str(item))  # a missing key: strict renders fail here, collect mode shows a placeholder
    if not _is_named(item):
        if isinstance(item, Markup):  # a draft's highlighted value still to adapt
            return Markup(" ").join([preposition, item]) if preposition else item
        raise GrammarError(f"'{getattr(item, 'key_path', item)}' is not a name with its article ('name' and 'article' keys); write it as '{{{{ value.name }}}}' or give the profile value an article")
    name = Markup.escape(item["name"])
    article = item.get("article")
    words = [name] if article in (NO_ARTICLE, None) or not isinstance(article, str) or article not in grammar["articles"] else [Markup(article), name]
    if preposition:
        contracted = grammar["contractions"].get(f"{preposition} {words[0]}") if len(words) == 2 else None
        words = [Markup(contracted), name] if contracted else [Markup(grammar["prepositions"].get(preposition, preposition)), *words]
    phrase = Markup(" ").join(words)
    if item.get("verified") is False and "fact_path" in item:
        phrase += unverified_marker(item["fact_path"])
    return phrase


def phrase(value, preposition: str | None, grammar: dict) -> Markup:
    """'el X', or with a preposition 'del X'; a list reads 'del X, de la Y y de los Z'."""
    items = list(value) if isinstance(value, list) else [value]
    parts = [_with_article(item, preposition, grammar) for item in items]
    if len(parts) < 2:
        return parts[0] if parts else Markup("")
    return Markup(", ").join(parts[:-1]) + Markup(f" {grammar['and']} ") + parts[-1]


def _grammar(context) -> dict:
    return words_of(context.get("language"))["grammar"]


def _filter(preposition: str | None, capital: bool = False):
    @pass_context
    def apply(context, value):
        text = phrase(value, preposition, _grammar(context))
        return KeyedMarkup(Markup(text[:1].upper()) + text[1:] if capital else text, _key_path_of(value))

    return apply


def _key_path_of(value) -> str:
    """The profile key a named value (or a list of them) came from: 'institutions.police', 'protection_measures.granted_by'."""
    first = value[0] if isinstance(value, list) and value else value
    path = getattr(first, "_key_path", "")
    return path.rpartition("[")[0] if isinstance(value, list) and path.endswith("]") else path


@pass_context
def verb(context, value, singular: str, plural: str) -> str:
    """The form of a verb (or phrase) that agrees with a named value or list of them."""
    if isinstance(value, Undefined):
        str(value)
    return plural if is_plural(value) else singular


PREPOSITIONS = ("de", "a", "ante", "en", "con", "por", "para", "sobre", "entre", "contra", "desde", "hacia", "bajo", "tras", "segun")


def grammar_filters() -> dict:
    """The filters module templates may use: el, El, one per preposition, and verb."""
    filters = {"el": _filter(None), "El": _filter(None, capital=True), "verb": verb}
    filters.update({p: _filter(p) for p in PREPOSITIONS})
    return filters
