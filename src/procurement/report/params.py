"""Report parameters: what each notebook accepts, and the check that enforces it.

papermill only logs a warning for a parameter a notebook does not know, and
never checks a value's type. A misspelt ``seeed: 1`` in a scenario would then
run the whole report with the default seed and nobody would notice. Here:

* :data:`PARAMETERS` is the schema of every report parameter: its type, its
  default and what it means. The keys of a scenario file
  (``data/<case>/scenarios/*.yaml``, see ``docs/formats.md``) are these
  parameters plus ``name``, ``notebooks`` and ``description``.
* :data:`NOTEBOOKS` says which parameters each numbered notebook takes. The
  runner injects only those; a test checks that every notebook's
  ``parameters`` cell defines exactly them.
* :func:`check_scenario_data` is what the runner calls *before* starting any
  kernel: an unknown key (with "did you mean") or a value of the wrong type
  gives one :class:`~procurement.case.errors.Problem` line each, and the run exits
  with status 2 without creating a report folder.
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

from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path

DEFAULT_CASE = "data/national-municipal-solution"
#: Used when the scenario model states no limit: 1 000 000 SMAA samples of a case of 20 options x 30
#: criteria take about 5 GB for the score draws alone (samples x options x criteria x 8 bytes).
FALLBACK_MAX_SAMPLES = 1_000_000


def max_samples() -> int:
    """The upper limit of ``samples``: the scenario model's (``procurement.case.models.MAX_SAMPLES``) when it states one."""
    try:
        from procurement.case import models
    except ImportError:  # pragma: no cover
        return FALLBACK_MAX_SAMPLES
    limit = getattr(models, "MAX_SAMPLES", None)
    return limit if isinstance(limit, int) and limit > 0 else FALLBACK_MAX_SAMPLES



@dataclass(frozen=True)
class Param:
    """One report parameter."""

    name: str
    kind: str  # "str", "int", "list[str]", "choice", "weights", "uncertainty"
    default: Any
    help: str
    optional: bool = False  # None is allowed
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def describe_type(self) -> str:
        if self.kind == "choice":
            text = " or ".join(f"'{c}'" for c in self.choices)
        elif self.kind == "list[str]":
            text = "a list of names, e.g. [wsm, topsis]"
        elif self.kind == "weights":
            text = "a mapping of criterion id to weight, e.g. {legal-robustness: 12, cost-pv: 14}"
        elif self.kind == "uncertainty":
            text = "a mapping such as {weights: bounds, spread: 0.2, scores: triangular}"
        elif self.kind == "int":
            text = "a whole number" + (f" ≥ {self.minimum}" if self.minimum is not None else "")
            text += f" and ≤ {self.maximum:,}".replace(",", " ") if self.maximum is not None else ""
        else:
            text = "a text"
        return text + (" or null" if self.optional else "")

    def check(self, value: Any) -> str | None:
        """None when `value` fits, else what is wrong (without the name)."""
        if value is None:
            return None if self.optional else f"must not be empty; expected {self.describe_type()}"
        if self.kind == "uncertainty":
            return _check_uncertainty(value)
        checks = {"int": self._check_int, "weights": self._check_weights, "list[str]": self._check_names}
        return checks.get(self.kind, self._check_text)(value)

    def _check_int(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{_show(value)} is not {self.describe_type()}"
        if self.minimum is not None and value < self.minimum:
            return f"{value} is too small; expected {self.describe_type()}"
        if self.maximum is not None and value > self.maximum:
            return f"{_show(value)[:40]} is too large; expected {self.describe_type()}"
        return None

    def _check_weights(self, value: Any) -> str | None:
        if not isinstance(value, dict) or not value:
            return f"{_show(value)} is not {self.describe_type()}"
        for k, w in value.items():
            if not isinstance(k, str) or isinstance(w, bool) or not isinstance(w, (int, float)) or w < 0:
                return f"weight {k}: {_show(w)} is not a number ≥ 0; expected {self.describe_type()}"
        if sum(value.values()) <= 0:
            return "all weights are zero; give at least one criterion a weight above zero"
        return None

    def _check_names(self, value: Any) -> str | None:
        if not isinstance(value, (list, tuple)) or not value:
            return f"{_show(value)} is not {self.describe_type()}"
        bad = [v for v in value if not isinstance(v, str) or not v]
        if bad:
            return f"{_show(bad[0])} in the list is not a name; expected {self.describe_type()}"
        return None

    def _check_text(self, value: Any) -> str | None:
        """A "str" or "choice" parameter."""
        if not isinstance(value, str) or not value:
            return f"{_show(value)} is not {self.describe_type()}"
        if self.kind == "choice" and value not in self.choices:
            return f"'{value}' is not allowed; expected {self.describe_type()}"
        return None


def _check_uncertainty(value: Any) -> str | None:
    from pydantic import ValidationError

    from procurement.case.models import Uncertainty

    if not isinstance(value, dict):
        return f"{_show(value)} is not a mapping such as {{weights: bounds, spread: 0.2, scores: triangular}}"
    try:
        Uncertainty.model_validate(value)
    except ValidationError as err:
        e = err.errors()[0]
        key = ".".join(str(x) for x in e.get("loc", ()))
        return f"{key}: {e.get('msg', 'invalid')}" if key else str(e.get("msg", "invalid"))
    return None


def _show(value: Any) -> str:
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


_ALL = [
    Param("case", "str", DEFAULT_CASE, "case folder, relative to the project folder (or absolute)"),
    Param("scenario", "str", "default", "name of the scenario the report is for (shown in titles)"),
    Param("decision", "str", "contract-strategy", "decision id from the case's case.yaml"),
    Param("profile", "str", None, "stakeholder group whose weights to use; null = the criteria file's weights", optional=True),
    Param("weights", "weights", None, "explicit criterion weights (criterion id -> relative weight); replace the profile's",
          optional=True),
    Param("methods", "list[str]", ["wsm", "topsis"], "ranking methods to compare (see `procurement methods`)"),
    Param("samples", "int", 10_000, "Monte Carlo / SMAA samples", minimum=1, maximum=max_samples()),
    Param("seed", "int", 20261125, "random seed; the same seed gives the same numbers", minimum=0),
    Param("uncertainty", "uncertainty", None,
          "SMAA uncertainty model {weights: bounds|uniform|order|profiles|fixed, spread: 0..1, scores: triangular|pert|fixed}; "
          "null = bounds ± 20 %, triangular scores", optional=True),
    Param("language", "choice", "nb", "report language: 'nb' (bokmål) or 'en' (English)", choices=("nb", "en")),
    Param("competition", "str", None, "competition under the case's tenders/ folder; names it to run report 08", optional=True),
]

#: Every report parameter by name.
PARAMETERS: dict[str, Param] = {p.name: p for p in _ALL}

#: Scenario-file keys that are not notebook parameters.
SCENARIO_ONLY = {
    "name": "scenario name (lower-case letters, digits and '-'); becomes the `scenario` parameter",
    "notebooks": "notebooks to run for this scenario, e.g. [01-inputs, 02-ranking]; default: all report notebooks",
    "description": "free text describing the scenario",
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
    return {n: special.get(n, PARAMETERS[n].default) for n in names}


def _valid_list(names) -> str:
    return ", ".join(names)


def check_values(
    values: Mapping[str, Any], valid: tuple[str, ...] | list[str], file: str, where_fmt: str = "parameter '{}'"
) -> list[Problem]:
    """Problems for unknown names and wrongly typed values in `values`."""
    problems: list[Problem] = []
    for name, value in values.items():
        where = where_fmt.format(name)
        if name not in valid:
            hint = did_you_mean(name, valid)
            if not hint.startswith("valid"):
                hint += f"; valid: {_valid_list(valid)}"
            problems.append(Problem(file, where, "unknown parameter", hint))
            continue
        if name in PARAMETERS:
            msg = PARAMETERS[name].check(value)
            if msg:
                problems.append(Problem(file, where, msg, PARAMETERS[name].help))
    return problems


def scenario_keys() -> list[str]:
    """The keys a scenario file may have: the fields of :class:`procurement.case.models.Scenario`."""
    from procurement.case.models import Scenario

    return list(Scenario.model_fields)


def check_scenario_data(data: Any, path: str | Path) -> None:
    """Check the keys and value types of a scenario file's contents (runner, before any kernel).

    Raises :class:`~procurement.case.errors.InputError` with one line per problem.
    The checks of ids against the case (decision, profile, methods) are the
    loader's; this one catches misspelt keys with a "did you mean" and lists
    the valid keys.
    """
    file = display_path(path)
    if not isinstance(data, dict):
        raise InputError(Problem(file, "top level", "expected a mapping of keys to values", "see docs/formats.md"))
    valid = scenario_keys()
    problems = ProblemList()
    for key, value in data.items():
        key = str(key)
        where = f"key '{key}'"
        if key not in valid:
            hint = did_you_mean(key, valid)
            if not hint.startswith("valid"):
                hint += f"; valid keys: {_valid_list(valid)}"
            problems.add(file, where, "unknown key", hint)
            continue
        if key in PARAMETERS:
            msg = PARAMETERS[key].check(value)
            if msg:
                problems.add(file, where, msg, "")
        elif key == "notebooks" and value is not None:
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                problems.add(file, where, f"{_show(value)} is not a list of notebook names", "e.g. [01-inputs, 02-ranking]")
        elif key in ("name", "description") and not isinstance(value, str):
            problems.add(file, where, f"{_show(value)} is not a text", "")
    if "name" not in data:
        problems.add(file, "key 'name'", "required key is missing", "e.g. name: default")
    if "decision" not in data:
        problems.add(file, "key 'decision'", "required key is missing", "e.g. decision: contract-strategy")
    problems.raise_if_any()


def check_scenario_notebooks(data: Any, path: str | Path, notebooks_dir: str | Path | None = None) -> list[Problem]:
    """Problems with the ``notebooks:`` key of a scenario file (for ``procurement validate`` and the runner).

    A scenario file is data, not code: it may name only notebooks of the
    project's notebook folder (``notebooks/``, or `notebooks_dir` when the
    person running the command gives one), by name (``02-ranking``, ``02``,
    ``ranking``), never by path. Returns one problem per bad entry naming the
    key; an empty list when the key is absent or fine.
    """
    if not isinstance(data, dict) or not data.get("notebooks"):
        return []
    names = data["notebooks"]
    if not isinstance(names, list) or not all(isinstance(v, str) and v for v in names):
        return []  # the type problem is check_scenario_data's
    from procurement.report import runner

    folder = Path(notebooks_dir) if notebooks_dir else runner.project_root(Path(path).resolve().parent) / "notebooks"
    try:
        runner.resolve_notebooks(names, folder, f"{display_path(path)}: key 'notebooks'", allow_paths=False)
    except InputError as e:
        return list(e.problems)
    return []


# ---------------------------------------------------------------------------
# Inside a notebook
# ---------------------------------------------------------------------------

_IPYTHON_NAMES = {"In", "Out", "exit", "quit", "get_ipython", "open"}


def namespace_parameters(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The parameter-like names of a notebook's global namespace.

    Called right after the ``parameters`` cell and papermill's injected cell,
    the only plain data values (not modules, functions or classes, not
    ``_private``, not IPython's own) are the parameters.
    """
    out = {}
    for name, value in namespace.items():
        if name.startswith("_") or name in _IPYTHON_NAMES:
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

