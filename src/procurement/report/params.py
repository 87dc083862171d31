"""Report parameters: the keys of the one scenario model, which each notebook takes, and the checks.

papermill only logs a warning for a parameter a notebook does not know, and
never checks a value's type. A misspelt ``seeed: 1`` in a scenario would then
run the whole report with the default seed and nobody would notice. Here:

* :data:`PARAMETERS`: every report parameter, made from :class:`procurement.Scenario` — the same keys,
  defaults, meanings and checks as a scenario file (``docs/formats.md``); a notebook names the scenario
  ``scenario`` where the file says ``name``, and finds the example case when none is given;
* :data:`NOTEBOOKS` says which parameters each numbered notebook takes. The
  runner injects only those; a test checks that every notebook's
  ``parameters`` cell defines exactly them;
* :func:`check_scenario_data` checks a scenario file's contents before a kernel starts (the runner reads its
  files through :func:`procurement.read_scenario`, which says the same);
* :func:`check_namespace` is what the first cell of every notebook calls after
  papermill's injected parameters: it finds the names the ``parameters`` cell
  and the injection defined, and stops the notebook at that cell with a
  :class:`ParameterError` naming the offending parameter and listing the
  valid ones.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procurement import InputError, Problem, Scenario, did_you_mean, scenario_problems

#: The example case a notebook opened on its own reports on (the runner always passes the scenario's).
EXAMPLE = {"case": "data/national-municipal-solution", "scenario": "default", "decision": "contract-strategy"}
DEFAULT_CASE = EXAMPLE["case"]
#: A notebook's name for a scenario key (the file's ``name`` is the notebook's ``scenario``).
NOTEBOOK_NAMES = {"name": "scenario"}


@dataclass(frozen=True)
class Param:
    """One report parameter: a key of the scenario model under its notebook name."""

    name: str
    key: str  # the scenario model's key
    default: Any
    help: str
    expects: str


def _param(key: str) -> Param:
    field = Scenario.model_fields[key]
    name = NOTEBOOK_NAMES.get(key, key)
    if name in EXAMPLE:
        default = EXAMPLE[name]
    elif key == "uncertainty":  # None in a notebook: the model's default block
        default = None
    else:
        default = field.get_default(call_default_factory=True)
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return Param(name, key, default, field.description or "", str(extra.get("expects", "")))


#: Every report parameter by name, in the order of the workbench's parameters cell.
PARAMETERS: dict[str, Param] = {
    p.name: p for p in map(_param, ("case", "name", "decision", "profile", "weights", "methods", "samples", "seed",
                                    "uncertainty", "language", "competition"))
}

_BASE = ("case", "scenario", "decision", "language")

#: The parameters each report notebook takes, in the order of its parameters cell.
NOTEBOOKS: dict[str, tuple[str, ...]] = {
    "00-workbench": ("case", "scenario", "decision", "profile", "weights", "methods", "samples", "seed", "uncertainty",
                     "language"),
    "01-inputs": _BASE + ("profile", "weights"),
    "02-ranking": _BASE + ("profile", "weights", "methods"),
    "03-sensitivity": _BASE + ("profile", "weights", "methods", "samples", "seed", "uncertainty"),
    "04-cost-benefit": _BASE + ("samples", "seed"),
    "05-procurement-route": _BASE,
    "06-stakeholders": _BASE + ("methods",),
    "07-summary": _BASE + ("profile", "weights", "methods", "samples", "seed", "uncertainty"),
    "08-tender-evaluation": ("case", "scenario", "competition", "language"),
    "09-municipality": _BASE + ("profile", "weights", "methods", "samples", "seed", "uncertainty", "municipality"),
}

#: Parameters of a notebook that are not scenario keys: name -> (default, what it is).
NOTEBOOK_ONLY: dict[str, tuple[Any, str]] = {
    "municipality": ("4601", "the kommunenummer of a municipality in the national solution (procurement papers)"),
}


#: Defaults a notebook's parameters cell sets differently from :data:`PARAMETERS` (the workbench starts with one method).
NOTEBOOK_DEFAULTS: dict[str, dict[str, Any]] = {
    "00-workbench": {"scenario": "workbench", "methods": ["wsm"]},
    "08-tender-evaluation": {"competition": "dialogue-final-round"},  # the example case's competition
}


class ParameterError(InputError):
    """A notebook parameter that is unknown or has a value of the wrong type."""


def notebook_parameters(notebook: str) -> tuple[str, ...]:
    """The parameter names a notebook takes (all of them for an unknown notebook)."""
    return NOTEBOOKS.get(Path(notebook).stem, tuple(PARAMETERS))


def defaults(notebook: str | None = None) -> dict[str, Any]:
    names = notebook_parameters(notebook) if notebook else tuple(PARAMETERS)
    special = NOTEBOOK_DEFAULTS.get(Path(notebook).stem, {}) if notebook else {}
    return {n: special[n] if n in special else NOTEBOOK_ONLY[n][0] if n in NOTEBOOK_ONLY else PARAMETERS[n].default
            for n in names}


def check_values(
    values: Mapping[str, Any], valid: tuple[str, ...] | list[str], file: str, where_fmt: str = "parameter '{}'"
) -> list[Problem]:
    """Problems for unknown names and wrongly typed values in `values` (notebook parameters)."""
    problems: list[Problem] = []
    for name, value in values.items():
        if name not in valid:
            hint = did_you_mean(name, valid)
            if not hint.startswith("valid"):
                hint += f"; valid: {', '.join(valid)}"
            problems.append(Problem(file, where_fmt.format(name), "unknown parameter", hint))
        elif name in PARAMETERS and value is not None:
            param = PARAMETERS[name]
            data = {"name": "parameters", "decision": "parameters", param.key: value}  # stand-ins for the required keys
            problems += [Problem(p.file, p.where, p.message, p.hint or param.help)
                         for p in scenario_problems(data, file, where_fmt, NOTEBOOK_NAMES)]
    return problems


def check_scenario_data(data: Any, path: str | Path) -> None:
    """Check the keys and value types of a scenario file's contents against the scenario model.

    Raises :class:`~procurement.InputError` with one line per problem: an unknown key with "did you mean" and
    the valid keys, a value of the wrong type with what is expected, a missing ``name`` or ``decision``. The
    checks of ids against the case (decision, profile, methods) are the engine's
    (:func:`procurement.check_scenario`).
    """
    problems = scenario_problems(data, Path(path))
    if problems:
        raise InputError(problems)


# ---------------------------------------------------------------------------
# Inside a notebook
# ---------------------------------------------------------------------------

_IPYTHON_NAMES = {"In", "Out", "exit", "quit", "get_ipython", "open"}


def namespace_parameters(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The parameter-like names of a notebook's global namespace.

    Called right after the ``parameters`` cell and papermill's injected cell,
    the only plain data values (not modules, functions or classes, not
    ``_private``, not IPython's own, not a constant in capitals such as the
    ``DEFAULT_SEED`` a parameters cell imports for its default) are the parameters.
    """
    out = {}
    for name, value in namespace.items():
        if name.startswith("_") or name in _IPYTHON_NAMES or name.isupper():
            continue
        if isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)):
            continue
        if callable(value):
            continue
        out[name] = value
    return out


def check_namespace(namespace: Mapping[str, Any], notebook: str) -> dict[str, Any]:
    """Check a notebook's parameters; return them with defaults filled in.

    Raises :class:`ParameterError` naming each unknown or wrongly typed
    parameter and listing the valid ones, so the notebook stops at its first
    cell instead of running with a silently ignored value.
    """
    valid = notebook_parameters(notebook)
    values = namespace_parameters(namespace)
    problems = check_values(values, valid, f"notebook {Path(notebook).stem}")
    if problems:
        raise ParameterError(problems)
    out = defaults(notebook)
    out.update(values)
    return out
