"""Scenarios: one model (:class:`~procurement.case.models.Scenario`) for scenario files, notebook parameters and the app.

* :func:`scenario_problems` checks a mapping of scenario keys (a scenario file's contents, a report notebook's
  parameters) against the model and says what is wrong in the reader's words: an unknown key with "did you
  mean", a value of the wrong type with what was expected (``'many' (a text) is not a whole number ≥ 1 …``);
* :func:`read_scenario` reads a scenario file through it; :func:`make_scenario` gives the validated scenario
  an analysis uses (a name of the case's ``scenarios/``, a mapping, a Scenario, or None for the default).

Checks of a scenario against the case's contents (its decision, profile and the ranking methods it names) are
the engine's (:func:`procurement.validation.scenario_problems`): the method names belong to the ranking part.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from procurement.case.errors import InputError, Problem, did_you_mean, display_path
from procurement.case.ids import ID_ERROR
from procurement.case.models import Scenario, normalise_language, read_yaml

#: The keys a scenario file may have, in the model's order.
SCENARIO_KEYS: tuple[str, ...] = tuple(Scenario.model_fields)

#: Examples for a required key that is missing.
_EXAMPLES = {"name": "e.g. name: default", "decision": "e.g. decision: contract-strategy"}


def show(value: Any) -> str:
    """A value as a message quotes it, with what kind of value it is."""
    if isinstance(value, str):
        return f"'{value}' (a text)"
    if isinstance(value, bool):
        return f"{value!r} (true/false)"
    if isinstance(value, float):
        return f"{value!r} (a decimal number)"
    if isinstance(value, (list, tuple)):
        return f"{list(value)!r} (a list)"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def expects(key: str) -> str:
    """What a scenario key takes, in words (``a whole number ≥ 0``)."""
    extra = Scenario.model_fields[key].json_schema_extra
    return str(extra.get("expects", "")) if isinstance(extra, dict) else ""


def explains(key: str) -> str:
    """What a scenario key means (its description in the model)."""
    return Scenario.model_fields[key].description or ""


def _message(error: Mapping[str, Any]) -> tuple[str, str]:
    """What is wrong with one key's value, and a hint, in the reader's words."""
    kind, loc, value = error.get("type", ""), tuple(error.get("loc", ())), error.get("input")
    msg = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    key = str(loc[0]) if loc else ""
    if kind == "missing":
        return "required key is missing", _EXAMPLES.get(key, "")
    if len(loc) != 1 or key not in Scenario.model_fields:  # a key inside `uncertainty` or `weights`: pydantic's words
        return (f"'{value}' is not allowed: {msg.replace('Input should be ', 'should be ')}" if kind == "literal_error"
                else msg), ""
    want = expects(key)
    bound = msg.replace("Input should be ", "should be ")
    if kind in ("greater_than", "greater_than_equal"):
        return f"{value} is too small: {bound}; expected {want}", ""
    if kind in ("less_than", "less_than_equal"):
        return f"{show(value)[:40]} is too large: {bound}; expected {want}", ""
    if kind == "literal_error":
        hint = "nb for bokmål (no, norsk and bokmål mean nb too) or en for English" if key == "language" else ""
        return f"'{value}' is not allowed; expected {want}", hint
    if kind == ID_ERROR:  # procurement.case.ids says what is wrong with the id and what would be right
        ctx = error.get("ctx") or {}
        return f"'{value}' is not a valid id: {ctx.get('problem', msg)}", str(ctx.get("hint", ""))
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in ("too_short", "int_from_float"):
        return f"{show(value)} is not {want}", ""
    return msg, ""


def scenario_problems(data: Any, file: str | Path, where: str = "key '{}'",
                      names: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem of a scenario's keys and values, one line each; empty when the model accepts `data`.

    `where` formats the key for the message (``key '{}'`` in a file, ``parameter '{}'`` in a notebook);
    `names` maps a model key to the name the reader wrote (a notebook's ``scenario`` is the model's ``name``).
    """
    file = display_path(file) if isinstance(file, Path) else str(file)
    if not isinstance(data, dict):
        return [Problem(file, "top level", "expected a mapping of keys to values", "see docs/formats.md")]
    names = names or {}
    shown = {names.get(k, k) for k in SCENARIO_KEYS}
    valid = [names.get(k, k) for k in SCENARIO_KEYS]
    try:
        Scenario.model_validate(data)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = tuple(e.get("loc", ()))
            key = ".".join(str(part) for part in loc) if loc else ""
            name = names.get(str(loc[0]), str(loc[0])) if loc else ""
            if e.get("type") == "extra_forbidden":
                hint = did_you_mean(name, shown)
                if not hint.startswith("valid"):
                    hint += "; valid keys: " + ", ".join(valid)
                problems.append(Problem(file, where.format(name), "unknown key", hint))
                continue
            message, hint = _message(e)
            problems.append(Problem(file, where.format(name + key[len(str(loc[0])):] if loc else ""), message, hint))
        return problems
    return []


def validated(data: Mapping[str, Any], file: str | Path = "scenario") -> Scenario:
    """`data` as a :class:`Scenario`, or InputError naming every problem."""
    data = dict(data)
    if "language" in data:  # no / norsk / bokmål (and YAML's False for `no`) mean nb
        data["language"] = normalise_language(data["language"])
    problems = scenario_problems(data, file)
    if problems:
        raise InputError(problems)
    return Scenario.model_validate(data)


def read_scenario(path: str | Path) -> Scenario:
    """A scenario file, checked against the model; InputError naming the file and each key."""
    return validated(read_yaml(path), Path(path))


def make_scenario(case: Any, scenario: Scenario | Mapping[str, Any] | str | None = None, **changes: Any) -> Scenario:
    """A validated :class:`Scenario` of `case` (a :class:`~procurement.case.loader.Case`, which reads its scenario
    files through this module): a name from the case's ``scenarios/``, a mapping, a Scenario, or None.

    None takes the case's ``default`` scenario when it has one, else a scenario
    for the case's first decision. Keyword `changes` replace keys (validated).
    """
    if isinstance(scenario, Scenario):
        base = scenario.model_dump()
    elif isinstance(scenario, str):
        if scenario not in case.scenarios:
            raise InputError(Problem("scenario", "", f"unknown scenario '{scenario}' in case '{case.id}'",
                                     did_you_mean(scenario, case.scenarios)))
        base = case.scenarios[scenario].model_dump()
    elif scenario is None:
        base = (
            case.scenarios["default"].model_dump()
            if "default" in case.scenarios
            else {"name": "custom", "decision": case.meta.decisions[0]}
        )
    else:
        base = dict(scenario)
        base.setdefault("name", "custom")
    base.update(changes)
    return validated(base)
