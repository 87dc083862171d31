"""Procedures and their access rules: which procedures a part of the regulations allows, given the grounds.

``procedures.yaml`` gives, per procedure and part, an access rule: ``always``, ``any-of`` a list of grounds or
``all-of`` them (the in-house conditions of FOA § 3-1). :func:`procedure_access` answers for every procedure
whether it is allowed, why, or what it would need; :func:`procedure_label` names a procedure id.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.law.loader import load_rules, rules_or_default
from procurement.law.models import PARTS, Access, Rules
from procurement.text.labels import label
from procurement.text.sentences import sentence

ACCESS_COLUMNS = ["procedure", "name", "pseudo", "allowed", "reason", "missing", "citation", "verified", "source"]


def procedure_label(procedure: str, language: str = "nb") -> str:
    """The name of a procedure id from the reference ``procedures.yaml`` (``name_nb``/``name_en``); the id when unknown."""
    names = _procedure_names().get(procedure)
    if names is None:
        return procedure
    return names.get(language, names["nb"])  # English for 'en', bokmål otherwise (as procurement.text.labels.label)


@functools.cache
def _procedure_names() -> dict[str, dict[str, str]]:
    try:
        rules = load_rules(None)
    except Exception:  # noqa: BLE001 - labels fall back to ids rather than break a report
        return {}
    return {p.id: {"nb": p.name_nb, "en": p.name_en} for p in rules.procedures.procedures}


def check_grounds(grounds: Iterable[str], rules: Rules) -> list[str]:
    """The ground ids given (blank ones dropped); InputError (key ``grounds``) for each unknown one."""
    given = [g.strip() for g in grounds if g and g.strip()]
    problems = ProblemList()
    for g in given:
        if g not in rules.ground_ids:
            problems.add("grounds", "", f"unknown ground '{g}'", did_you_mean(g, rules.ground_ids))
    problems.raise_if_any()
    return given


def _ground_lists(grounds: Iterable[str], rules: Rules, language: str) -> dict[str, str]:
    """Grounds as a reason lists them: by id (``ids``, English) and by their text in `language` (``names``).

    Bokmål names each ground by its bokmål text only (the ids are English words); English by its id.
    """
    grounds = list(grounds)
    return {"ids": ", ".join(grounds), "names": "; ".join(rules.ground(g).text(language) for g in grounds)}


def _access(acc: Access, part: str, given: set[str], rules: Rules, language: str) -> dict[str, object]:
    """``allowed``, ``reason`` and ``missing`` of one access rule, given the grounds that hold."""
    if acc.rule == "always":
        where = label("law.access.outside", language) if part == "outside" else sentence("law.access.in_part", language,
                                                                                           part=part)
        return {"allowed": True, "reason": sentence("law.access.always", language, where=where), "missing": ""}
    if acc.rule == "any-of":
        hit = [g for g in acc.grounds if g in given]
        if hit:
            reason = "; ".join(sentence("law.access.ground", language, ground=g, text=rules.ground(g).text(language))
                               for g in hit)
            return {"allowed": True, "reason": reason, "missing": ""}
        missing = sentence("law.access.needs_one", language, citation=acc.citation,
                           **_ground_lists(acc.grounds, rules, language))
        return {"allowed": False, "reason": "", "missing": missing}
    lacking = [g for g in acc.grounds if g not in given]  # all-of
    if lacking:
        missing = sentence("law.access.needs_all", language, citation=acc.citation, **_ground_lists(lacking, rules, language))
        return {"allowed": False, "reason": "", "missing": missing}
    reason = sentence("law.access.all_hold", language, **_ground_lists(acc.grounds, rules, language))
    return {"allowed": True, "reason": reason, "missing": ""}


def procedure_access(
    part: str,
    grounds: Iterable[str] = (),
    rules: Rules | None = None,
    language: str = "en",
    include_hidden: bool = False,
) -> pd.DataFrame:
    """Each procedure's access in a part of FOA, given the grounds the user says hold.

    Parameters
    ----------
    part
        ``outside``, ``I``, ``II`` or ``III``.
    grounds
        Ground ids from ``procedures.yaml`` (e.g. ``complexity``, ``innovation``).
    rules
        Loaded rules; default :func:`~procurement.law.loader.load_rules`.
    include_hidden
        Include procedures marked ``route: false`` (the 0-alternative ``none``).

    Returns
    -------
    pandas.DataFrame
        One row per procedure: ``procedure``, ``name``, ``pseudo``, ``allowed``,
        ``reason`` (why it is allowed), ``missing`` (what is missing when it is
        not), ``citation``, ``verified``, ``source``.
    """
    rules = rules_or_default(rules)
    if part not in PARTS:
        raise InputError(Problem("part", "", f"unknown part '{part}'", f"valid: {', '.join(PARTS)}"))
    given = set(check_grounds(grounds, rules))
    rows = []
    for proc in rules.procedures.procedures:
        if not proc.route and not include_hidden:
            continue
        acc = next((a for a in proc.access if part in a.parts), None)
        name = (acc.name(language) if acc is not None else None) or proc.name(language)
        row: dict[str, object] = {"procedure": proc.id, "name": name, "pseudo": proc.pseudo}
        if acc is None:
            row.update(allowed=False, reason="", citation="", verified=False, source="",
                       missing=sentence("law.access.no_rule", language, file=display_path(rules.path / "procedures.yaml"),
                                        part=part))
        else:
            row.update(citation=acc.citation, verified=acc.verified, source=acc.source)
            row.update(_access(acc, part, given, rules, language))
        rows.append(row)
    return pd.DataFrame(rows, columns=ACCESS_COLUMNS)


__all__ = ["ACCESS_COLUMNS", "check_grounds", "procedure_access", "procedure_label"]
