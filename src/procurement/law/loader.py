"""Reading and checking the rule files of a rules folder.

:func:`load_rules` reads ``thresholds.yaml``, ``procedures.yaml`` and ``time-limits.yaml`` of a folder (default
:func:`default_rules_dir`: ``$PROCUREMENT_RULES``, else the package's :mod:`procurement.reference`), validates
each with its model (:mod:`procurement.law.models`) and checks what crosses rows and files: unique ids, known
categories, authorities and grounds, periods that do not overlap, a ``base`` row for every time-limit step.
Every mistake is one :class:`~procurement.case.errors.Problem` naming the file and key; all are raised together.
Loaded rules are cached until a file changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ValidationError

from procurement import reference
from procurement.case import yamlsafe
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.law.models import FloorRow, NationalRow, ProcedureFile, Rules, ThresholdFile, ThresholdRow, TimeLimitFile


def default_rules_dir() -> Path:
    """The rules folder: $PROCUREMENT_RULES, else the reference data shipped in the package."""
    env = os.environ.get("PROCUREMENT_RULES")
    if env:
        return Path(env)
    return reference.files()


def _read_yaml(path: Path) -> dict:
    name = display_path(path)
    if not path.exists():
        raise InputError(Problem(name, "", "file not found",
                                 "the rules folder needs thresholds.yaml, procedures.yaml and time-limits.yaml"))
    data = yamlsafe.load(path)  # bounded; syntax errors name the file, line and column
    if not isinstance(data, dict):
        raise InputError(Problem(name, "", "must be a YAML mapping (key: value) at the top level"))
    return data


def _validate(model: type[BaseModel], data: dict, path: Path, problems: ProblemList):
    try:
        return model.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            where = ".".join(str(x) for x in err["loc"]) or "top level"
            problems.add(path, where, err["msg"])
        return None


def _check_ids_and_categories(t: ThresholdFile, path: Path, problems: ProblemList) -> None:
    """Unique row ids; known categories and authorities in every EEA row and headroom entry."""
    categories = set(t.kinds.values())
    ids = [r.id for r in t.eea] + [r.id for r in t.national] + [r.id for r in t.floor]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.add(path, f"id '{dup}'", "appears more than once", "row ids must be unique")
    for key in t.change_headroom.percent:
        if key != "default" and key not in categories:
            problems.add(path, f"change_headroom.percent.{key}", "unknown category", did_you_mean(key, categories))
    for r in t.eea:
        if r.category not in categories:
            problems.add(path, f"row '{r.id}', category", f"unknown category '{r.category}'",
                         did_you_mean(r.category, categories))
        for a in r.authorities:
            if a not in t.authorities:
                problems.add(path, f"row '{r.id}', authorities", f"unknown authority '{a}'", did_you_mean(a, t.authorities))


def _check_periods(t: ThresholdFile, path: Path, problems: ProblemList) -> None:
    """Every row ends after it starts; rows for the same authority and category do not overlap."""
    rows: list[FloorRow | NationalRow | ThresholdRow] = [*t.floor, *t.national, *t.eea]
    for r in rows:
        if r.valid_from and r.valid_to and r.valid_to < r.valid_from:
            problems.add(path, f"row '{r.id}'", f"valid_to {r.valid_to} is before valid_from {r.valid_from}")
    by_key: dict[str, list[FloorRow | NationalRow | ThresholdRow]] = {"floor": list(t.floor), "national": list(t.national)}
    for r in t.eea:
        for authority in r.authorities:
            by_key.setdefault(f"{authority}/{r.category}", []).append(r)
    lo, hi = dt.date.min, dt.date.max
    for key, group in by_key.items():
        ordered = sorted(group, key=lambda r: r.valid_from or lo)
        for older, newer in zip(ordered, ordered[1:], strict=False):
            if (newer.valid_from or lo) <= (older.valid_to or hi):
                problems.add(path, f"rows '{older.id}' and '{newer.id}'", f"periods overlap for {key}",
                             "end the older row the day before the newer one starts")


def _check_thresholds(t: ThresholdFile, path: Path, problems: ProblemList) -> None:
    _check_ids_and_categories(t, path, problems)
    _check_periods(t, path, problems)
    for rg in t.regimes:
        where = f"regime '{rg.id}'"
        for a in [*rg.authorities, *([rg.threshold_authority] if rg.threshold_authority else [])]:
            if a not in t.authorities:
                problems.add(path, f"{where}, authorities", f"unknown authority '{a}'", did_you_mean(a, t.authorities))
        for k in rg.kinds:
            if k not in t.kinds:
                problems.add(path, f"{where}, kinds", f"unknown kind '{k}'", did_you_mean(k, t.kinds))
        for b in rg.bands:
            if t.parts and b.part not in t.parts:
                problems.add(path, f"{where}, bands", f"part '{b.part}' has no label", "add it under 'parts' (nb and en)")
        if rg.bands[0].from_ != "zero":
            problems.add(path, f"{where}, bands", "the first band must start from 'zero'",
                         "begin with {from: zero, part: outside}")


def _check_procedures(p: ProcedureFile, path: Path, problems: ProblemList) -> None:
    ground_ids = [g.id for g in p.grounds]
    for dup in sorted({i for i in ground_ids if ground_ids.count(i) > 1}):
        problems.add(path, f"ground '{dup}'", "appears more than once")
    proc_ids = [x.id for x in p.procedures]
    for dup in sorted({i for i in proc_ids if proc_ids.count(i) > 1}):
        problems.add(path, f"procedure '{dup}'", "appears more than once")
    for proc in p.procedures:
        seen: set[str] = set()
        for i, acc in enumerate(proc.access):
            for part in acc.parts:
                if part in seen:
                    problems.add(path, f"procedure '{proc.id}', access {i + 1}", f"part {part} is covered twice")
                seen.add(part)
            for g in acc.grounds:
                if g not in ground_ids:
                    problems.add(path, f"procedure '{proc.id}', access {i + 1}", f"unknown ground '{g}'",
                                 did_you_mean(g, ground_ids))


def _check_limits(t: TimeLimitFile, procedure_ids: Sequence[str], path: Path, problems: ProblemList) -> None:
    keys = [(r.procedure, r.step, r.variant) for r in t.limits]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        problems.add(path, f"limit {'/'.join(dup)}", "appears more than once")
    for r in t.limits:
        if r.procedure not in procedure_ids:
            problems.add(path, f"limit {r.procedure}/{r.step}", f"unknown procedure '{r.procedure}'",
                         did_you_mean(r.procedure, procedure_ids))
    for proc, step in sorted({(r.procedure, r.step) for r in t.limits}):
        if (proc, step, "base") not in keys:
            problems.add(path, f"limit {proc}/{step}", "has no 'base' row", "every step needs the base limit")


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, stamp: tuple) -> Rules:
    folder = Path(path)
    problems = ProblemList()
    files: dict[str, tuple[Path, type[BaseModel]]] = {
        "thresholds": (folder / "thresholds.yaml", ThresholdFile),
        "procedures": (folder / "procedures.yaml", ProcedureFile),
        "time_limits": (folder / "time-limits.yaml", TimeLimitFile),
    }
    loaded = {}
    for key, (p, model) in files.items():
        loaded[key] = _validate(model, _read_yaml(p), p, problems)
    if loaded["thresholds"] is not None:
        _check_thresholds(loaded["thresholds"], files["thresholds"][0], problems)
    if loaded["procedures"] is not None:
        _check_procedures(loaded["procedures"], files["procedures"][0], problems)
        if loaded["time_limits"] is not None:
            ids = [x.id for x in loaded["procedures"].procedures]
            _check_limits(loaded["time_limits"], ids, files["time_limits"][0], problems)
    problems.raise_if_any()
    return Rules(path=folder, **loaded)


def load_rules(rules_dir: str | Path | None = None) -> Rules:
    """Load and validate the rule files of a rules folder.

    Parameters
    ----------
    rules_dir
        Folder with ``thresholds.yaml``, ``procedures.yaml`` and ``time-limits.yaml``;
        default :func:`default_rules_dir`.

    Returns
    -------
    Rules
        The validated rules. Results are cached until a file changes.

    Raises
    ------
    InputError
        Every problem found in the files, each naming the file and key.
    """
    folder = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    folder = folder.resolve()
    stamp = tuple(
        (f, (folder / f).stat().st_mtime_ns if (folder / f).exists() else None)
        for f in ("thresholds.yaml", "procedures.yaml", "time-limits.yaml")
    )
    return _load_cached(str(folder), stamp)


def rules_or_default(rules: Rules | str | Path | None) -> Rules:
    """`rules` when loaded already, else the rules of that folder, else the default rules (:func:`load_rules`)."""
    if isinstance(rules, Rules):
        return rules
    return load_rules(rules)


__all__ = ["default_rules_dir", "load_rules", "rules_or_default"]
