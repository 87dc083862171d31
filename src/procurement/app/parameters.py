"""The workbench notebook's parameters, checked by the scenario model before anything is computed.

papermill only logs a warning for a parameter a notebook does not know and never checks a value's type, so a
misspelt ``langauge = "en"`` would otherwise start the workbench in bokmål without a word. The notebook's first
call, :func:`procurement.app.widgets.start_workbench`, hands its global names to :func:`check_parameters`: a name
the notebook does not take, or a value :class:`procurement.Scenario` refuses (strictly: ``"many"`` is no number of
samples, ``True`` no seed), gives one :class:`procurement.Problem` line each and stops the notebook at that cell.

The parameters are scenario keys (``scenario`` is the scenario's ``name``) plus the case folder, so the scenario
model is the one schema; only the list of names the notebook takes is here.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

import procurement as pw
from procurement.app.state import scenario_problems

NOTEBOOK = "00-workbench"

#: The names the workbench notebook's ``parameters`` cell defines, in its order; all but ``case`` and ``scenario`` are
#: the scenario keys of the same name.
PARAMETERS = ("case", "scenario", "decision", "profile", "weights", "methods", "samples", "seed", "uncertainty", "language")

#: A parameter that is not a scenario key of its own name -> the scenario key it fills.
SCENARIO_KEYS = {"scenario": "name"}

_IPYTHON_NAMES = {"In", "Out", "exit", "quit", "get_ipython", "open"}


class ParameterError(pw.InputError):
    """A workbench notebook parameter that is unknown or has a value the scenario model refuses."""


#: The types a parameter's value can have (what a parameters cell or papermill writes).
PLAIN = (str, int, float, bool, list, tuple, dict, type(None))


def namespace_parameters(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The parameter-like names of a notebook's global namespace: plain data (:data:`PLAIN`), not modules,
    functions, classes, ``_private`` names, IPython's own, or objects a cell made (the ``wb`` of the start cell, so
    running that cell again in the same kernel works)."""
    out = {}
    for name, value in namespace.items():
        if name.startswith("_") or name in _IPYTHON_NAMES or callable(value) or isinstance(value, types.ModuleType):
            continue
        if not isinstance(value, PLAIN):
            continue
        out[name] = value
    return out


def check_parameters(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The workbench parameters found in `namespace`, or :class:`ParameterError` with one problem per mistake."""
    values = namespace_parameters(namespace)
    file = f"notebook {NOTEBOOK}"
    problems = []
    for name in values:
        if name not in PARAMETERS:
            hint = pw.did_you_mean(name, PARAMETERS)
            if not hint.startswith("valid"):
                hint += f"; valid: {', '.join(PARAMETERS)}"
            problems.append(pw.Problem(file, f"parameter '{name}'", "unknown parameter", hint))
    keys = {SCENARIO_KEYS.get(k, k): v for k, v in values.items() if k in PARAMETERS and k != "case" and v is not None}
    try:
        pw.Scenario.model_validate(keys, strict=True)
    except ValidationError as err:  # a key not given is no mistake here: the workbench fills it in
        names = {v: k for k, v in SCENARIO_KEYS.items()}
        problems += scenario_problems(err, file, "parameter '{}'", given=keys, names=names)
    if not isinstance(values.get("case", ""), str):
        problems.append(pw.Problem(file, "parameter 'case'", f"{values['case']!r} is not a folder name", "e.g. 'data/my-case'"))
    if problems:
        raise ParameterError(problems)
    return {k: v for k, v in values.items() if k in PARAMETERS}
