"""The template context of one country: its profile, plus values derived from it.

Derived values spare every module from re-deriving them, and keep legal logic out of modules:
an offence's instrument becomes the instrument itself, 'citation' reads "artículo 154-B del
Código Penal", and 'adult' / 'child' are what applies to an adult or a child victim, resolved
through the article's scope ('protects') and what the profile says applies to the others
('other_victims'). Every fact not verified against its source carries an unverified marker.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from markupsafe import Markup

from .markers import unverified_marker
from .keyed import KeyedMarkup
from .render import wrap_profile
from .words import is_to_fill, words_of
from .yamlfile import dotted, mappings_in

# Which victims an article reaches, by its 'protects' value.
REACHES = {"everyone": {"adult", "child"}, "women": {"adult", "child"}, "adults": {"adult"}, "minors": {"child"}}
ROUTE_ONLY = ("adult", "child", "by_victim", "other_victims")


def profile_context(profile: dict, highlight: Callable[[str], Markup] | None = None) -> dict:
    """The variables a module template sees for a profile.

    For a validated profile. A draft (highlight given) may still hold values to fill and lack
    keys: each such value becomes highlight(key path) and derived values are made only from
    the parts that are there.
    """
    # A fresh copy with no shared parts: YAML anchors must not make one offence rewrite another.
    data = json.loads(json.dumps(profile))
    if highlight:
        data = _mark_unfilled(data, "", highlight)
    _record_fact_paths(data)
    words = words_of(data.get("language"))
    instruments = data.get("instruments") if isinstance(data.get("instruments"), dict) else {}
    for key, offence in _mappings(data.get("offences")):
        _resolve_offence(offence, f"offences.{key}", instruments, words, highlight)
    for parent, key, path in ((data, "violence_law", "violence_law"), (data.get("procedure"), "code", "procedure.code")):
        if not isinstance(parent, dict):
            continue
        if isinstance(parent.get(key), str) and parent[key] in instruments:
            parent[key] = instruments[parent[key]]
        elif highlight:
            parent[key] = _unfilled_instrument(path, highlight)
    for key, treaty in _mappings(data.get("treaties")):
        if treaty.get("status") in words["treaty_status"]:
            treaty["status_label"] = KeyedMarkup(Markup.escape(words["treaty_status"][treaty["status"]]) + _marker(treaty), f"treaties.{key}.status")
        elif highlight:
            treaty["status_label"] = highlight(f"treaties.{key}.status")
    measures = data.get("protection_measures")
    if isinstance(measures, dict) and isinstance(measures.get("law_citation"), str):
        measures["law_citation"] = KeyedMarkup(Markup.escape(measures["law_citation"]) + _marker(measures), "protection_measures.law_citation")
    for index, hotline in enumerate(data.get("hotlines") or []):
        if isinstance(hotline, dict) and isinstance(hotline.get("number"), str):
            hotline["number"] = KeyedMarkup(Markup.escape(hotline["number"]) + _marker(hotline), f"hotlines[{index}].number")
    # A procedural rule, a figure or a decision is cited through its citation, figure or reference.
    rules = [(f"procedure.{k}", r) for k, r in _mappings(data.get("procedure"))]
    statistics = [(f"statistics[{i}]", s) for i, s in enumerate(data.get("statistics") or [])]
    decisions = [(f"case_law[{i}]", d) for i, d in enumerate(data.get("case_law") or [])]
    for items, field in ((rules, "citation"), (statistics, "figure"), (decisions, "reference")):
        for path, item in items:
            if isinstance(item, dict) and isinstance(item.get(field), str):
                item[field] = KeyedMarkup(Markup.escape(item[field]) + _marker(item), f"{path}.{field}")
    return {key: wrap_profile(value, key) for key, value in data.items()}


def _resolve_offence(offence: dict, path: str, instruments: dict, words: dict, highlight) -> None:
    """Give an offence its state, citation and charge, and the route for each kind of victim."""
    _resolve_route(offence, path, instruments, words, highlight)
    others = offence.get("other_victims")
    if isinstance(others, dict):
        _resolve_route(others, f"{path}.other_victims", instruments, words, highlight)
    reaches = REACHES.get(offence.get("protects", "everyone"), REACHES["everyone"])
    routes = {}
    for victim in ("adult", "child"):
        source = offence if victim in reaches or not isinstance(others, dict) else others
        routes[victim] = {k: v for k, v in source.items() if k not in ROUTE_ONLY}
    offence.update(routes)
    if reaches == REACHES["everyone"]:
        offence["by_victim"] = [{"victim": "", "route": routes["adult"]}]
    else:
        offence["by_victim"] = [{"victim": words["victim_adult"], "route": routes["adult"]}, {"victim": words["victim_child"], "route": routes["child"]}]
    offence["scoped"] = reaches != REACHES["everyone"]


def _resolve_route(route: dict, path: str, instruments: dict, words: dict, highlight) -> None:
    state = {True: "typified", False: "not_typified"}.get(route.get("typified"), "unknown")
    if highlight and isinstance(route.get("typified"), Markup):
        state = "typified"  # a draft shows every field of the article still to fill
    route["state"], route["typified"], route["unknown"] = state, state == "typified", state == "unknown"
    marker = _marker(route)
    instrument = instruments.get(route.get("instrument")) if isinstance(route.get("instrument"), str) else None
    if highlight and not isinstance(instrument, dict):
        instrument = _unfilled_instrument(f"{path}.instrument", highlight)
    if state == "typified" and isinstance(instrument, dict):
        route["instrument"] = instrument
        if "article" in route and "cite_as" in instrument:
            # "194, 195 Bis y 195 Ter" are several articles.
            several = isinstance(route["article"], str) and ("," in route["article"] or f" {words['grammar']['and']} " in route["article"])
            plain = KeyedMarkup("{} {} {}").format(words["articles" if several else "article"], route["article"], instrument["cite_as"])
            route["citation"] = KeyedMarkup(plain + marker, f"{path}.article")
            if "name" in route:
                route["charge"] = KeyedMarkup(KeyedMarkup(words["charge"]).format(citation=plain, name=route["name"]) + marker, f"{path}.name")
        if "penalty" in route:
            route["penalty"] = KeyedMarkup(Markup.escape(route["penalty"]) + marker, f"{path}.penalty")
    elif state == "not_typified" and "fallback" in route:
        route["charge"] = KeyedMarkup(Markup.escape(route["fallback"]) + marker, f"{path}.fallback")
    elif state == "unknown":
        # Unknown is never a checked fact: it always carries the marker.
        text = Markup.escape(words["to_confirm"]) + unverified_marker(route.get("fact_path", path))
        route["citation"] = route["charge"] = KeyedMarkup(text, f"{path}.typified")


def legal_facts(profile: dict) -> dict[str, bool]:
    """Every fact of the profile (a mapping with 'verified'): its key path, and whether it is verified."""
    return {dotted(path): fact["verified"] is True for path, fact in mappings_in(profile) if "verified" in fact}


def unverified_facts(profile: dict) -> list[str]:
    """The key paths of every fact not yet verified against its source."""
    return [path for path, verified in legal_facts(profile).items() if not verified]


def _marker(fact: dict) -> Markup:
    return unverified_marker(fact["fact_path"]) if fact.get("verified") is not True and "fact_path" in fact else Markup("")


def _record_fact_paths(data: dict) -> None:
    """Every fact (a mapping with 'verified') learns its own key path, for its marker."""
    for path, fact in list(mappings_in(data)):
        if "verified" in fact:
            fact["fact_path"] = dotted(path)


def _mappings(value) -> list[tuple[str, dict]]:
    return [(k, v) for k, v in value.items() if isinstance(v, dict)] if isinstance(value, dict) else []


def _unfilled_instrument(key_path: str, highlight) -> dict:
    """In a draft, an instrument not named yet: each of its fields shows what is to fill."""
    return {field: highlight(key_path) for field in ("name", "short_name", "cite_as", "number", "year", "article")}


def _mark_unfilled(value, key_path: str, highlight):
    if is_to_fill(value):
        # An address still to fill is no address: pages must not link to a highlight.
        return None if key_path.endswith(".url") else highlight(key_path)
    if isinstance(value, dict):
        return {k: _mark_unfilled(v, f"{key_path}.{k}" if key_path else str(k), highlight) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark_unfilled(v, f"{key_path}[{i}]", highlight) for i, v in enumerate(value)]
    return value
