"""The template context of one country: its profile, plus values derived from it.

Derived values spare every module from re-deriving them: an offence's instrument becomes the
instrument itself, and 'citation' reads "artículo 154-B del Código Penal".
"""

from __future__ import annotations

import json
from collections.abc import Callable

from markupsafe import Markup

from .load import TO_FILL
from .render import DEFAULT_LANGUAGE, LANGUAGES, labels, wrap_profile


def profile_context(profile: dict, to_fill: Callable[[str], Markup] | None = None) -> dict:
    """The variables a module template sees for a profile.

    For a validated profile. A draft (to_fill given) may still hold TO_FILL values and lack
    keys: each TO_FILL value becomes to_fill(key path) and derived values are made only from
    the parts that are there.
    """
    # A fresh copy with no shared parts: YAML anchors must not make one offence rewrite another.
    data = json.loads(json.dumps(profile))
    if to_fill:
        data = _mark_unfilled(data, "", to_fill)
    words = labels(data["language"] if data.get("language") in LANGUAGES else DEFAULT_LANGUAGE)
    instruments = data.get("instruments") if isinstance(data.get("instruments"), dict) else {}
    for key, offence in _mappings(data.get("offences")):
        instrument = instruments.get(offence.get("instrument")) if isinstance(offence.get("instrument"), str) else None
        if to_fill and not isinstance(instrument, dict):
            instrument = _unfilled_instrument(f"offences.{key}.instrument", to_fill)
        if offence.get("typified") and isinstance(instrument, dict):
            offence["instrument"] = instrument
            if "article" in offence and "cite_as" in instrument:
                offence["citation"] = Markup("{} {} {}").format(words["article"], offence["article"], instrument["cite_as"])
        if not offence.get("verified"):
            # A judge reading the page must see that this fact has not been checked yet.
            for key in ("citation", "penalty"):
                if key in offence:
                    offence[key] = Markup("{} {}").format(offence[key], words["unverified_mark"])
    if isinstance(data.get("violence_law"), str) and data["violence_law"] in instruments:
        data["violence_law"] = instruments[data["violence_law"]]
    elif to_fill:
        data["violence_law"] = _unfilled_instrument("violence_law", to_fill)
    for key, treaty in _mappings(data.get("treaties")):
        if treaty.get("status") in words["treaty_status"]:
            treaty["status_label"] = words["treaty_status"][treaty["status"]]
        elif to_fill:
            treaty["status_label"] = to_fill(f"treaties.{key}.status")
    return {key: wrap_profile(value, key) for key, value in data.items()}


def _mappings(value) -> list[tuple[str, dict]]:
    return [(k, v) for k, v in value.items() if isinstance(v, dict)] if isinstance(value, dict) else []


def _unfilled_instrument(key_path: str, to_fill) -> dict:
    """In a draft, an instrument not named yet: each of its fields shows what is to fill."""
    return {field: to_fill(key_path) for field in ("name", "short_name", "cite_as", "number", "year")}


def _mark_unfilled(value, key_path: str, to_fill):
    if value == TO_FILL:
        # An address still to fill is no address: pages must not link to a highlight.
        return None if key_path.endswith(".url") else to_fill(key_path)
    if isinstance(value, dict):
        return {k: _mark_unfilled(v, f"{key_path}.{k}" if key_path else str(k), to_fill) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark_unfilled(v, f"{key_path}[{i}]", to_fill) for i, v in enumerate(value)]
    return value
