"""Markup that knows the profile key it was made from, so the trace (and the lint, and
'check --show') can name the key of a citation, a charge or a name written with its article."""

from __future__ import annotations

from markupsafe import Markup


class KeyedMarkup(Markup):
    """Safe markup derived from a profile key, knowing that key."""

    def __new__(cls, base="", key_path: str = "", *args, **kwargs):
        value = super().__new__(cls, base, *args, **kwargs)
        value.key_path = key_path or getattr(base, "key_path", "")
        return value
