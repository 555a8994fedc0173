"""The template context of one country: its profile, plus values derived from it.

Derived values spare every module from re-deriving them: an offence's instrument becomes the
instrument itself, and 'citation' reads "artículo 154-B del Código Penal".
"""

from __future__ import annotations

import json

from .render import labels, wrap_profile


def profile_context(profile: dict) -> dict:
    """The variables a module template sees for a validated profile."""
    # A fresh copy with no shared parts: YAML anchors must not make one offence rewrite another.
    data = json.loads(json.dumps(profile))
    instruments = data["instruments"]
    words = labels(data["language"])
    for offence in data["offences"].values():
        if offence.get("typified"):
            instrument = instruments[offence["instrument"]]
            offence["instrument"] = instrument
            offence["citation"] = f"{words['article']} {offence['article']} {instrument['cite_as']}"
        if not offence.get("verified"):
            # A judge reading the page must see that this fact has not been checked yet.
            for key in ("citation", "penalty"):
                if key in offence:
                    offence[key] = f"{offence[key]} {words['unverified_mark']}"
    data["violence_law"] = instruments[data["violence_law"]]
    for treaty in data["treaties"].values():
        treaty["status_label"] = words["treaty_status"][treaty["status"]]
    return {key: wrap_profile(value, key) for key, value in data.items()}
