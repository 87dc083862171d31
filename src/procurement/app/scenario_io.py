"""Save the workbench's current settings as a scenario file.

A scenario (``data/<case>/scenarios/<name>.yaml``, see ``docs/formats.md``)
holds the parameters of one report run; ``procurement run`` reproduces it.
The workbench writes one when an advisor presses *Save as scenario*:

* :func:`scenario_data` turns settings into the mapping written to the file,
  in the order of ``docs/formats.md``, and validates it with
  :class:`procurement.case.models.Scenario` and against the case (decision,
  profile, methods, criterion ids) so a saved file always loads;
* :func:`write_scenario` writes it, and never replaces an existing file
  unless told to: it raises :class:`ScenarioExists` (an
  :class:`~procurement.case.errors.InputError`) so the caller can ask first. The
  file is created exclusively, so two savers cannot silently overwrite each
  other either.

Weights moved with the sliders are saved under ``weights:`` (criterion id →
relative weight, as set; the runner normalises them like the workbench does)
only when they differ from the chosen profile's weights and only when the
scenario model has that key; a profile chosen and left unchanged is saved as
``profile:`` alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import ValidationError

import procurement as pw
from procurement.case.errors import InputError, Problem, did_you_mean, display_path
from procurement.case.models import ID_PATTERN, Scenario, yaml_problems

_ID_RE = re.compile(ID_PATTERN)

#: Weights closer than this (after normalising to sum 1) count as unchanged.
WEIGHT_TOLERANCE = 1e-9


class ScenarioExists(InputError):
    """The scenario file exists already; ask before writing with ``overwrite=True``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(
            Problem(
                display_path(path),
                "",
                "a scenario with this name exists already",
                "choose another name, or confirm that it should be overwritten",
            )
        )


def supports_weights() -> bool:
    """True when scenario files accept explicit ``weights:`` (a key of models.Scenario)."""
    return "weights" in Scenario.model_fields


def slugify(text: str) -> str:
    """A valid scenario name from free text: 'KS – høy vekt' -> 'ks-hoy-vekt'."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
    s = text.translate(table).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def check_name(name: str) -> str:
    """The name, stripped; InputError with a suggestion when it is not a valid id."""
    name = (name or "").strip()
    if not name:
        raise InputError(Problem("", "scenario name", "is empty", "type a name such as 'ks-high-cost'"))
    if not _ID_RE.match(name):
        suggestion = slugify(name)
        hint = "use lower-case letters, digits and '-'"
        if suggestion:
            hint += f", e.g. '{suggestion}'"
        raise InputError(Problem("", "scenario name", f"'{name}' is not a valid name", hint))
    return name


def scenario_dir(case_path: str | Path) -> Path:
    return Path(case_path) / "scenarios"


def scenario_path(case_path: str | Path, name: str) -> Path:
    return scenario_dir(case_path) / f"{check_name(name)}.yaml"


def exists(case_path: str | Path, name: str) -> bool:
    return scenario_path(case_path, name).exists()


def _normalised(weights: Mapping[str, float], ids: Sequence[str]) -> np.ndarray:
    w = np.array([float(weights.get(c, 0.0)) for c in ids], dtype=float)
    total = w.sum()
    return w / total if total > 0 else w


def custom_weights(decision, profile: str | None, weights: Mapping[str, float] | None) -> dict[str, float] | None:
    """`weights` when they differ from the profile's (or criteria file's) weights, else None.

    Raises InputError for unknown criteria, negative weights or weights that are all zero.
    """
    if weights is None:
        return None
    ids = decision.criterion_ids
    unknown = [k for k in weights if k not in ids]
    if unknown:
        raise InputError(Problem("", "weights", f"unknown criterion '{unknown[0]}'", did_you_mean(unknown[0], ids)))
    values = {c: float(weights.get(c, 0.0)) for c in ids}
    if any(v < 0 for v in values.values()):
        raise InputError(Problem("", "weights", "a weight is below zero", "weights are zero or more"))
    if sum(values.values()) <= 0:
        raise InputError(Problem("", "weights", "all weights are zero", "give at least one criterion a weight above zero"))
    base = pw.resolve_weights(decision, profile).weights.loc[ids].to_numpy(dtype=float)
    base = base / base.sum()
    if np.allclose(_normalised(values, ids), base, rtol=0, atol=WEIGHT_TOLERANCE):
        return None
    return {c: _tidy(v) for c, v in values.items()}


def _tidy(v: float) -> float | int:
    """Whole numbers as int (15 rather than 15.0); others rounded to 10 significant digits."""
    r = round(v)
    if abs(v - r) < 1e-12:
        return int(r)
    return float(f"{v:.10g}")


def scenario_data(
    case,
    name: str,
    decision: str,
    profile: str | None = None,
    methods: Sequence[str] = ("wsm",),
    samples: int = 10_000,
    seed: int = 20261125,
    language: str = "nb",
    weights: Mapping[str, float] | None = None,
    description: str = "",
    uncertainty: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The contents of a scenario file for these settings, checked against `case`.

    `case` is a loaded :class:`~procurement.case.loader.Case`. Raises InputError
    (one Problem per mistake) when the settings would not load back.
    """
    from procurement.mcda.methods import METHODS

    name = check_name(name)
    dec = case.decision(decision)
    if profile is not None and profile not in dec.profiles:
        raise InputError(
            Problem(
                "", "profile", f"no weight profile '{profile}' for decision '{decision}'", did_you_mean(profile, dec.profiles)
            )
        )
    methods = list(methods)
    for m in methods:
        if m not in METHODS:
            raise InputError(Problem("", "method", f"unknown method '{m}'", did_you_mean(m, METHODS)))
    custom = custom_weights(dec, profile, weights)
    data: dict[str, Any] = {
        "name": name,
        "decision": decision,
        "profile": profile,
        "methods": methods,
        "samples": int(samples),
        "seed": int(seed),
        "language": language,
    }
    if custom is not None:
        if not supports_weights():
            raise InputError(
                Problem(
                    "",
                    "weights",
                    "the weights were changed with the sliders, but scenario files cannot hold weights yet",
                    "choose a stakeholder profile without changing its weights, or ask for scenario 'weights:' support",
                )
            )
        data["weights"] = custom
    if uncertainty is not None:
        data["uncertainty"] = dict(uncertainty)
    if description:
        data["description"] = description
    try:
        Scenario.model_validate(data)
    except ValidationError as err:
        raise InputError(yaml_problems(f"scenarios/{name}.yaml", err, data)) from None
    return data


def dump(data: Mapping[str, Any], header: str | None = None) -> str:
    """YAML text of a scenario, keys in the documented order, with a comment header."""
    text = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    if header is None:
        header = f"# Saved from the workbench on {date.today().isoformat()}; `procurement run` reproduces it.\n"
    return header + text


def write_scenario(case_path: str | Path, data: Mapping[str, Any], overwrite: bool = False) -> Path:
    """Write `data` (from :func:`scenario_data`) to ``<case>/scenarios/<name>.yaml``.

    Raises :class:`ScenarioExists` when the file is there and `overwrite` is
    False. Returns the path written.
    """
    path = scenario_path(case_path, data["name"])
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dump(data)
    if overwrite:
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        return path
    try:
        with open(path, "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise ScenarioExists(path) from None
    return path


def save(case, overwrite: bool = False, **settings: Any) -> Path:
    """:func:`scenario_data` then :func:`write_scenario` into the case's folder."""
    data = scenario_data(case, **settings)
    return write_scenario(case.path, data, overwrite=overwrite)
