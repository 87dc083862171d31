"""Save the workbench's current settings as a scenario file.

A scenario (``data/<case>/scenarios/<name>.yaml``, see ``docs/formats.md``) holds the parameters of one report
run; ``procurement run`` reproduces it. The workbench writes one when an advisor presses *Save as scenario*:

* :func:`scenario_data` is what the file holds: the keys the :class:`procurement.Scenario` sets, as the model dumps
  them, after the engine has checked them against the case (:class:`procurement.Analysis` refuses an unknown
  decision, profile, method or criterion), so a saved file always loads;
* :func:`write_scenario` writes it, and never replaces an existing file unless told to: it raises
  :class:`ScenarioExists` (a :class:`procurement.InputError`) so the caller can ask first. The file is created
  exclusively, so two savers cannot silently overwrite each other either.

Weights moved with the sliders are saved under ``weights:`` (criterion id → relative weight, as set; the runner
normalises them like the workbench does) only when they differ from the chosen profile's weights; a profile chosen
and left unchanged is saved as ``profile:`` alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

import procurement as pw
from procurement.app.state import set_keys, validated

#: Weights closer than this (after normalising to sum 1) count as unchanged.
WEIGHT_TOLERANCE = 1e-9


class ScenarioExists(pw.InputError):
    """The scenario file exists already; ask before writing with ``overwrite=True``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(
            pw.Problem(
                pw.display_path(path),
                "",
                "a scenario with this name exists already",
                "choose another name, or confirm that it should be overwritten",
            )
        )


@cache
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
        raise pw.InputError(pw.Problem("", "scenario name", "is empty", "type a name such as 'ks-high-cost'"))
    wrong = pw.id_problem(name)
    if wrong is not None:
        suggestion = slugify(name)
        hint = wrong[1] + (f"; for this name e.g. '{suggestion}'" if suggestion else "")
        raise pw.InputError(pw.Problem("", "scenario name", f"'{name}' is not a valid name: {wrong[0]}", hint))
    return name


def scenario_dir(case_path: str | Path) -> Path:
    return Path(case_path) / "scenarios"


def scenario_path(case_path: str | Path, name: str) -> Path:
    return scenario_dir(case_path) / f"{check_name(name)}.yaml"


def exists(case_path: str | Path, name: str) -> bool:
    return scenario_path(case_path, name).exists()


def scenario_data(case: pw.Case, scenario: pw.Scenario | None = None, **keys: Any) -> dict[str, Any]:
    """The contents of a scenario file: `scenario` (if any) with `keys` changed, checked against `case`.

    Raises InputError (one Problem per mistake) when the settings would not load back.
    """
    base = set_keys(scenario) if scenario is not None else {}
    name = check_name(keys.get("name", base.get("name", "")))
    sc = validated({**base, **keys, "name": name}, f"scenarios/{name}.yaml")
    analysis = pw.Analysis(case, sc)  # the engine checks the decision, profile, methods and weights against the case
    data = set_keys(sc)
    if sc.weights is not None and _same_weights(analysis.weights, analysis.with_(weights=None).weights):
        data.pop("weights")
    return data


def _same_weights(a: pd.Series, b: pd.Series) -> bool:
    """True when two normalised weight sets are equal within :data:`WEIGHT_TOLERANCE`."""
    return bool(np.allclose(a.to_numpy(float), b.loc[a.index].to_numpy(float), rtol=0, atol=WEIGHT_TOLERANCE))


def dump(data: Mapping[str, Any], header: str | None = None) -> str:
    """YAML text of a scenario, keys in the scenario model's order, with a comment header."""
    text = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    if header is None:
        header = f"# Saved from the workbench on {date.today().isoformat()}; `procurement run` reproduces it.\n"
    return header + text


def write_scenario(case_path: str | Path, data: Mapping[str, Any], overwrite: bool = False) -> Path:
    """Write `data` (from :func:`scenario_data`) to ``<case>/scenarios/<name>.yaml``.

    Raises :class:`ScenarioExists` when the file is there and `overwrite` is False. Returns the path written.
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


def save(case: pw.Case, scenario: pw.Scenario | None = None, overwrite: bool = False, **keys: Any) -> Path:
    """:func:`scenario_data` then :func:`write_scenario` into the case's folder."""
    return write_scenario(case.path, scenario_data(case, scenario, **keys), overwrite=overwrite)
