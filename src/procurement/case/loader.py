"""One loader for a decision case: read every file, check everything once.

:func:`load_case` reads ``case.yaml``, the criteria set of each decision,
``options.csv``, ``scores.csv``, ``profiles.csv``, ``cashflows.csv`` and the
scenario files, checks each file and the references between them, and either
returns a :class:`Case` or raises one :class:`~procurement.case.errors.InputError`
carrying every problem found, each naming the file, the row or key, what is
wrong and what would be right. Nothing downstream re-validates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from procurement.case.csvio import Table, check_ids, number_column, read_csv
from procurement.case.cashflows import read_cashflows
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.case.ids import id_problem
from procurement.case.models import (
    MAX_WEIGHT,
    CaseFile,
    CriteriaSet,
    Criterion,
    Scenario,
    load_model,
)
from procurement.case.profiles import SPECIAL_SOURCES, file_weights, rank_order_centroid
from procurement.case.scenarios import make_scenario, read_scenario

OPTION_COLUMNS = ["decision", "id", "name_nb", "name_en"]
OPTION_OPTIONAL = ["description", "procedure", "contract", "notes"]
SCORE_COLUMNS = ["decision", "option", "criterion", "low", "likely", "high", "rationale", "source"]
PROFILE_COLUMNS = ["decision", "group", "criterion"]
PROFILE_OPTIONAL = ["weight", "rank", "note"]


@dataclass
class Option:
    id: str
    name_nb: str
    name_en: str
    description: str = ""
    procedure: str = ""
    contract: str = ""
    notes: str = ""

    def label(self, language: str = "nb") -> str:
        return self.name_en if language == "en" else self.name_nb


@dataclass
class Decision:
    """One decision: its options, criteria and three-point scores."""

    id: str
    criteria_set: CriteriaSet
    criteria_file: Path
    options: list[Option]
    scores: pd.DataFrame  # option, criterion, low, likely, high, rationale, source
    profiles: dict[str, pd.Series] = field(default_factory=dict)  # group -> normalised weights
    case_dir: Path | None = None  # the case folder, for case-level screening (screening.yaml)

    @property
    def title(self):
        return self.criteria_set.title

    @property
    def criteria(self) -> list[Criterion]:
        return self.criteria_set.criteria

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def option(self, oid: str) -> Option:
        for o in self.options:
            if o.id == oid:
                return o
        raise KeyError(oid)

    def criterion(self, cid: str) -> Criterion:
        return self.criteria_set.criterion(cid)

    def matrix(self, which: str = "likely") -> pd.DataFrame:
        """Options × criteria table of the `which` score (low, likely or high)."""
        m = self.scores.pivot(index="option", columns="criterion", values=which)
        return m.loc[self.option_ids, self.criterion_ids].astype(float)

    def value_matrix(self, which: str = "likely") -> pd.DataFrame:
        """The matrix after value functions: a criterion with a value function
        holds its 0–10 value (higher is better), the others their score."""
        m = self.matrix(which)
        for c in self.criteria:
            if c.value_function is not None:
                m[c.id] = c.value_function(m[c.id].to_numpy())
        return m

    @property
    def value_objectives(self) -> pd.Series:
        """Objectives after value functions: +1 for a criterion with a value function."""
        return pd.Series([c.value_objective for c in self.criteria], index=self.criterion_ids, dtype=int)

    @property
    def objectives(self) -> pd.Series:
        """+1 (maximise) or -1 (minimise) per criterion."""
        return pd.Series([c.objective for c in self.criteria], index=self.criterion_ids, dtype=int)

    @property
    def weights(self) -> pd.Series:
        """The criteria file's weights, multiplied down the value tree when groups carry weights (sum 1).

        The weights an analysis uses when its scenario names no profile. A stakeholder group's normalised weights
        are in :attr:`profiles`; which weights an analysis uses (a profile, the panel, AHP, explicit weights) is
        the engine's decision (``procurement.Analysis(case, scenario).weights``).
        """
        return file_weights(self)

    def option_labels(self, language: str = "nb") -> dict[str, str]:
        return {o.id: o.label(language) for o in self.options}

    def criterion_labels(self, language: str = "nb") -> dict[str, str]:
        return {c.id: c.label.get(language) for c in self.criteria}


@dataclass
class Case:
    path: Path
    meta: CaseFile
    criteria_dir: Path
    decisions: dict[str, Decision]
    cashflows: pd.DataFrame
    scenarios: dict[str, Scenario]
    scenario_files: dict[str, Path]
    files: list[Path]

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def base_year(self) -> int:
        return self.meta.base_year

    def decision(self, did: str) -> Decision:
        if did not in self.decisions:
            raise InputError(
                Problem(display_path(self.path / "case.yaml"), "key 'decisions'", f"unknown decision '{did}'",
                        did_you_mean(did, self.decisions))
            )
        return self.decisions[did]

    def scenario(self, name: Scenario | Mapping[str, Any] | str | None = None, **changes: Any) -> Scenario:
        """A scenario of this case by name (None: ``default``, else the first decision), with `changes` applied.

        The analysis of a scenario is the engine's: ``procurement.Analysis(case, scenario)``.
        """
        return make_scenario(self, name, **changes)

    @property
    def stakeholder_ids(self) -> list[str]:
        return [s.id for s in self.meta.stakeholders]

    def summary(self) -> dict:
        return {
            "case": self.id,
            "decisions": len(self.decisions),
            "options": sum(len(d.options) for d in self.decisions.values()),
            "criteria": sum(len(d.criteria) for d in self.decisions.values()),
            "scores": sum(len(d.scores) for d in self.decisions.values()),
            "profiles": sum(len(d.profiles) for d in self.decisions.values()),
            "cash_flow_rows": len(self.cashflows),
            "scenarios": len(self.scenarios),
        }


# ---------------------------------------------------------------------------


def find_criteria_dir(case_dir: Path, meta: CaseFile | None, override: str | Path | None) -> Path:
    candidates: list[Path] = []
    if override:
        return Path(override)
    if meta is not None and meta.criteria_dir:
        candidates.append(case_dir / meta.criteria_dir)
    candidates.append(case_dir / "criteria")
    for parent in case_dir.resolve().parents:
        candidates.append(parent / "criteria")
    candidates.append(Path.cwd() / "criteria")
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


def load_case(case_dir: str | Path, criteria_dir: str | Path | None = None) -> Case:
    """Read and check every file of a case; raise InputError listing every problem."""
    case_dir = Path(case_dir)
    case_file = _case_file(case_dir)
    problems = ProblemList()
    files: list[Path] = [case_file]
    meta: CaseFile | None = None
    try:
        meta = load_model(CaseFile, case_file)
    except InputError as e:
        problems.extend(e.problems)
        _dependents_not_checked(case_dir, "case.yaml", files, problems)
        problems.raise_if_any()
    crit_dir = find_criteria_dir(case_dir, meta, criteria_dir)
    decision_ids = list(meta.decisions) if meta else []

    criteria = _read_criteria_sets(crit_dir, decision_ids, files, problems)
    options, options_read = _read_options_file(case_dir / "options.csv", decision_ids, files, problems)
    score_path = case_dir / "scores.csv"
    scores = _read_scores_file(score_path, options_read, criteria, options, files, problems)
    stakeholders = [s.id for s in meta.stakeholders] if meta else []
    before = len(problems)
    profiles = _read_profiles_file(case_dir / "profiles.csv", criteria, stakeholders, decision_ids, files, problems)
    profiles_ok = len(problems) == before
    unit = meta.cash_flow_unit if meta else "NOK"
    cashflows, cashflows_ok = _read_cashflows_file(case_dir / "cashflows.csv", options_read, options, unit, files, problems)
    scenarios, scenario_files = _read_scenarios(case_dir / "scenarios", criteria, profiles, decision_ids, files, problems,
                                                profiles_ok)
    problems.raise_if_any()
    assert meta is not None
    decisions = {
        did: Decision(
            id=did,
            criteria_set=criteria[did][0],
            criteria_file=criteria[did][1],
            options=sorted(options[did], key=lambda o: o.id),  # canonical order: row order never changes a result
            scores=scores.get(did, pd.DataFrame(columns=SCORE_COLUMNS[1:])),
            profiles=dict(sorted(profiles.get(did, {}).items())),
            case_dir=case_dir,
        )
        for did in decision_ids
    }
    case = Case(
        path=case_dir,
        meta=meta,
        criteria_dir=crit_dir,
        decisions=decisions,
        cashflows=cashflows,
        scenarios=scenarios,
        scenario_files=scenario_files,
        files=files,
    )
    return case


def _case_file(case_dir: Path) -> Path:
    """``case.yaml`` of the folder; without it nothing else can be read, so this raises at once."""
    if not case_dir.is_dir():
        raise InputError(Problem(display_path(case_dir), "", "no such case folder",
                                 "give the folder that holds case.yaml, e.g. data/national-municipal-solution"))
    case_file = case_dir / "case.yaml"
    if not case_file.exists() and not case_file.is_symlink():  # a broken or looping link is read and reported
        raise InputError(Problem(display_path(case_file), "", "file not found",
                                 "every case folder needs a case.yaml; see docs/formats.md"))
    return case_file


def present(path: Path) -> bool:
    """Whether a file is there to be read: it exists, or is a link (a broken or looping one is read and reported)."""
    return path.exists() or path.is_symlink()


def _not_checked(path: Path, because: str, files: list[Path], problems: ProblemList, why: str = "could not be read") -> None:
    """One line instead of a problem on every row that refers to a file that failed."""
    if present(path):
        files.append(path)
        problems.add(path, "", f"not checked, because {because} {why}", f"fix {because} first")


def _dependents_not_checked(case_dir: Path, because: str, files: list[Path], problems: ProblemList) -> None:
    """One "not checked" line for each file of the case that needs `because` (case.yaml) to be read."""
    for name in ("options.csv", "scores.csv", "profiles.csv", "cashflows.csv"):
        _not_checked(case_dir / name, because, files, problems, "has a problem")
    for path in sorted((case_dir / "scenarios").glob("*.yaml")):
        _not_checked(path, because, files, problems, "has a problem")


def _read_criteria_sets(
    crit_dir: Path, decision_ids: list[str], files: list[Path], problems: ProblemList
) -> dict[str, tuple[CriteriaSet, Path]]:
    criteria: dict[str, tuple[CriteriaSet, Path]] = {}
    for did in decision_ids:
        path = crit_dir / f"{did}.yaml"
        if not present(path):
            existing = sorted(p.stem for p in crit_dir.glob("*.yaml")) if crit_dir.is_dir() else []
            problems.add(path, "", f"criteria set for decision '{did}' not found",
                         did_you_mean(did, existing) if existing else f"create {display_path(path)}")
            continue
        files.append(path)
        try:
            cs = load_model(CriteriaSet, path)
        except InputError as e:
            problems.extend(e.problems)
            continue
        if cs.decision != did:
            problems.add(path, "key 'decision'", f"says '{cs.decision}' but the file is for decision '{did}'",
                         f"write decision: {did}")
        criteria[did] = (cs, path)
    return criteria


def _read_options_file(
    path: Path, decision_ids: list[str], files: list[Path], problems: ProblemList
) -> tuple[dict[str, list[Option]], bool]:
    """The options per decision, and whether the file could be read at all."""
    options: dict[str, list[Option]] = {d: [] for d in decision_ids}
    try:
        t = read_csv(path, OPTION_COLUMNS, OPTION_OPTIONAL)
        files.append(path)
        return options, _read_options(t, decision_ids, options, problems)
    except InputError as e:
        problems.extend(e.problems)
        return options, False


def _read_scores_file(
    path: Path,
    options_read: bool,
    criteria: dict[str, tuple[CriteriaSet, Path]],
    options: dict[str, list[Option]],
    files: list[Path],
    problems: ProblemList,
) -> dict[str, pd.DataFrame]:
    if not options_read:
        _not_checked(path, "options.csv", files, problems, "has a problem")
        return {}
    try:
        t = read_csv(path, SCORE_COLUMNS)
        files.append(path)
        return _read_scores(t, criteria, options, problems)
    except InputError as e:
        problems.extend(e.problems)
        return {}


def _read_profiles_file(
    path: Path,
    criteria: dict[str, tuple[CriteriaSet, Path]],
    stakeholders: list[str],
    decision_ids: list[str],
    files: list[Path],
    problems: ProblemList,
) -> dict[str, dict[str, pd.Series]]:
    profiles: dict[str, dict[str, pd.Series]] = {d: {} for d in decision_ids}
    if not present(path):
        return profiles
    try:
        t = read_csv(path, PROFILE_COLUMNS, PROFILE_OPTIONAL)
        files.append(path)
        return _read_profiles(t, criteria, stakeholders, problems, decision_ids)
    except InputError as e:
        problems.extend(e.problems)
        return profiles


def _read_cashflows_file(
    path: Path, options_read: bool, options: dict[str, list[Option]], unit: str, files: list[Path], problems: ProblemList
) -> tuple[pd.DataFrame, bool]:
    """The cash flows, and whether they were read without a problem."""
    cashflows = pd.DataFrame(columns=["decision", "option", "year", "category", "low", "likely", "high", "source", "row"])
    before = len(problems)
    if present(path) and not options_read:
        _not_checked(path, "options.csv", files, problems, "has a problem")
    elif present(path):
        files.append(path)
        try:
            cashflows = read_cashflows(path, {d: {o.id for o in opts} for d, opts in options.items()}, problems, unit)
        except InputError as e:
            problems.extend(e.problems)
    return cashflows, len(problems) == before


def _read_scenarios(
    folder: Path,
    criteria: dict[str, tuple[CriteriaSet, Path]],
    profiles: dict[str, dict[str, pd.Series]],
    decision_ids: list[str],
    files: list[Path],
    problems: ProblemList,
    profiles_ok: bool = True,
) -> tuple[dict[str, Scenario], dict[str, Path]]:
    scenarios: dict[str, Scenario] = {}
    scenario_files: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        files.append(path)
        try:
            sc = read_scenario(path)
        except InputError as e:
            problems.extend(e.problems)
            continue
        _check_scenario(sc, path, criteria, profiles, problems, decision_ids, profiles_ok)
        scenarios[sc.name] = sc
        scenario_files[sc.name] = path
    return scenarios, scenario_files


def _read_options(t: Table, decision_ids: list[str], options: dict[str, list[Option]], problems: ProblemList) -> bool:
    """Read the options into `options`; whether every row became an option and every decision has one
    (else files naming options are not checked row by row: each row would repeat the same root problem)."""
    f = t.frame
    ok = check_ids(t, "decision", decision_ids, problems, "decision")
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(f.to_dict("records")):
        if not ok[i]:
            continue
        oid = row["id"]
        wrong = id_problem(oid)
        if wrong is not None:
            problems.add(t.path, f"{t.where(i)}, column 'id'", f"'{oid}' is not a valid option id: {wrong[0]}",
                         wrong[1])
            continue
        key = (row["decision"], oid)
        if key in seen:
            problems.add(t.path, f"{t.where(i)}, column 'id'", f"option '{oid}' is listed twice for decision '{row['decision']}'",
                         f"first at row {seen[key]}")
            continue
        seen[key] = t.lines[i]
        for col in ("name_nb", "name_en"):
            if not row[col]:
                problems.add(t.path, f"{t.where(i)}, column '{col}'", "is empty",
                             "every option needs a name in bokmål and English")
        options[row["decision"]].append(
            Option(oid, row["name_nb"], row["name_en"], row["description"], row["procedure"], row["contract"], row["notes"])
        )
    for did in decision_ids:
        if not options[did] and all(ok):  # with a row of an unknown decision, that line says it already
            problems.add(t.path, "", f"decision '{did}' has no options", "add at least one row for it")
    return sum(len(v) for v in options.values()) == len(f) and all(options[d] for d in decision_ids)


def _read_scores(
    t: Table,
    criteria: dict[str, tuple[CriteriaSet, Path]],
    options: dict[str, list[Option]],
    problems: ProblemList,
) -> dict[str, pd.DataFrame]:
    f = t.frame
    nums = {c: number_column(t, c, problems) for c in ("low", "likely", "high")}
    dec_ok = check_ids(t, "decision", options.keys(), problems, "decision")
    records: dict[str, list[dict]] = {d: [] for d in options}
    seen: dict[tuple[str, str, str], int] = {}
    for i, row in enumerate(f.to_dict("records")):
        if not dec_ok[i]:
            continue
        did = row["decision"]
        where = t.where(i)
        cs = criteria.get(did, (None, None))[0]
        good, crit = _score_ids(t, where, row, cs, [o.id for o in options[did]], problems)
        key = (did, row["option"], row["criterion"])
        if good and key in seen:
            problems.add(t.path, where, f"a second score for option '{row['option']}' on criterion '{row['criterion']}'",
                         f"first at row {seen[key]}; keep one")
            continue
        seen[key] = t.lines[i]
        for col in ("rationale", "source"):
            if not row[col]:
                problems.add(t.path, f"{where}, column '{col}'", "is empty", "every score needs a rationale and a source")
        lo, li, hi = nums["low"][i], nums["likely"][i], nums["high"][i]
        if lo is None or li is None or hi is None:
            continue
        if not (lo <= li <= hi):
            problems.add(t.path, where, f"low {lo:g}, likely {li:g}, high {hi:g} are out of order", "need low ≤ likely ≤ high")
        if crit is not None:
            _check_score_values(t, where, crit, (lo, li, hi), criteria[did][1], problems)
        if good:
            records[did].append(
                {"option": row["option"], "criterion": row["criterion"], "low": lo, "likely": li, "high": hi,
                 "rationale": row["rationale"], "source": row["source"], "row": t.lines[i]}
            )
    return _score_frames(t, records, seen, criteria, options, problems)


def _score_ids(
    t: Table, where: str, row: dict, cs: CriteriaSet | None, opt_ids: list[str], problems: ProblemList
) -> tuple[bool, Criterion | None]:
    """Whether the row's option and criterion are known, and its criterion (None if unknown or not loaded)."""
    did = row["decision"]
    good = True
    if row["option"] not in opt_ids:
        problems.add(t.path, f"{where}, column 'option'", f"unknown option '{row['option']}' for decision '{did}'",
                     did_you_mean(row["option"], opt_ids))
        good = False
    if cs is None:
        return good, None
    if row["criterion"] not in cs.ids:
        problems.add(t.path, f"{where}, column 'criterion'", f"unknown criterion '{row['criterion']}' for decision '{did}'",
                     did_you_mean(row["criterion"], cs.ids))
        return False, None
    return good, cs.criterion(row["criterion"])


def _check_score_values(
    t: Table, where: str, crit: Criterion, values: tuple[float, float, float], criteria_file: Path, problems: ProblemList
) -> None:
    """Each of low, likely and high inside the domain of the criterion's value function and inside its scale."""
    unit = f" {crit.scale.unit}" if crit.scale.unit else ""
    vf = crit.value_function
    for name, v in zip(("low", "likely", "high"), values, strict=True):
        if vf is not None and crit.scale.contains(v) and not vf.contains(v):
            problems.add(
                t.path,
                f"{where}, column '{name}'",
                f"{v:g} lies outside the domain of the value function of '{crit.id}'",
                f"use a value from {vf.domain[0]:g} to {vf.domain[1]:g}{unit}, "
                f"or extend the value function's points in {display_path(criteria_file)}",
            )
        if not crit.scale.contains(v):
            problems.add(
                t.path,
                f"{where}, column '{name}'",
                f"{v:g} lies outside the scale of '{crit.id}'",
                f"use a value from {crit.scale.min:g} to {crit.scale.max:g}{unit}",
            )


def _score_frames(
    t: Table,
    records: dict[str, list[dict]],
    seen: dict[tuple[str, str, str], int],
    criteria: dict[str, tuple[CriteriaSet, Path]],
    options: dict[str, list[Option]],
    problems: ProblemList,
) -> dict[str, pd.DataFrame]:
    """The scores per decision as frames; a problem for each option without a score on a criterion."""
    out = {}
    for did, recs in records.items():
        cs = criteria.get(did, (None, None))[0]
        if cs is None:
            continue
        have = {(r["option"], r["criterion"]) for r in recs}
        bad_rows = {(k[1], k[2]) for k in seen if k[0] == did}
        for o in options[did]:
            missing = [
                c for c in cs.ids
                if (o.id, c) not in have and (o.id, c) not in bad_rows and cs.criterion(c).from_cba is None
            ]
            if missing:
                problems.add(t.path, f"decision '{did}', option '{o.id}'", f"no score for criteria {', '.join(missing)}",
                             "add one row per option and criterion")
        out[did] = pd.DataFrame(recs, columns=["option", "criterion", "low", "likely", "high", "rationale", "source", "row"])
    return out


def _read_profiles(
    t: Table,
    criteria: dict[str, tuple[CriteriaSet, Path]],
    stakeholders: list[str],
    problems: ProblemList,
    decision_ids: list[str],
) -> dict[str, dict[str, pd.Series]]:
    f = t.frame
    weights = number_column(t, "weight", problems, required=False)
    ranks = number_column(t, "rank", problems, required=False)
    dec_ok = check_ids(t, "decision", decision_ids, problems, "decision")
    grp_ok = check_ids(t, "group", stakeholders, problems, "stakeholder group")
    groups: dict[tuple[str, str], dict[str, tuple[str, float, int]]] = {}
    faulty: set[tuple[str, str]] = set()  # groups with a row already reported
    for i, row in enumerate(f.to_dict("records")):
        if not (dec_ok[i] and grp_ok[i]):
            continue
        if not _store_profile_row(t, t.where(i), row, weights[i], ranks[i], criteria, groups, problems):
            faulty.add((row["decision"], row["group"]))
    return _profile_weights(t, groups, faulty, criteria, problems, decision_ids)


def _store_profile_row(
    t: Table,
    where: str,
    row: dict,
    w: float | None,
    r: float | None,
    criteria: dict[str, tuple[CriteriaSet, Path]],
    groups: dict[tuple[str, str], dict[str, tuple[str, float, int]]],
    problems: ProblemList,
) -> bool:
    """Add one row's weight or rank to its group; False (with a problem, unless one is reported already) if it is bad."""
    did = row["decision"]
    cs = criteria.get(did, (None, None))[0]
    if cs is not None and row["criterion"] not in cs.ids:
        problems.add(t.path, f"{where}, column 'criterion'", f"unknown criterion '{row['criterion']}' for decision '{did}'",
                     did_you_mean(row["criterion"], cs.ids))
        return False
    if row["weight"] and row["rank"]:
        problems.add(t.path, where, "gives both a weight and a rank", "give one of them")
        return False
    if not row["weight"] and not row["rank"]:
        problems.add(t.path, where, "gives neither a weight nor a rank", "fill in one of the two columns")
        return False
    if row["weight"] and w is not None and w < 0:
        problems.add(t.path, f"{where}, column 'weight'", f"negative weight {w:g}", "weights must be zero or more")
        return False
    if row["weight"] and w is not None and w > MAX_WEIGHT:
        problems.add(t.path, f"{where}, column 'weight'", f"weight {w:g} is above {MAX_WEIGHT:g}",
                     "weights are relative, e.g. 10 or 0.25; they are normalised to sum 1")
        return False
    if row["rank"] and r is not None and (r < 1 or r != int(r)):
        problems.add(t.path, f"{where}, column 'rank'", f"rank {r:g} is not a whole number from 1", "1 is the most important")
        return False
    value = w if row["weight"] else r
    if value is None:  # not a number: reported by number_column
        return False
    entry = groups.setdefault((did, row["group"]), {})
    if row["criterion"] in entry:
        problems.add(t.path, where, f"a second row for group '{row['group']}' and criterion '{row['criterion']}'",
                     f"first at {entry[row['criterion']][0]}")
        return False
    entry[row["criterion"]] = (where, float(value), 0 if row["weight"] else 1)
    return True


def _profile_weights(
    t: Table,
    groups: dict[tuple[str, str], dict[str, tuple[str, float, int]]],
    faulty: set[tuple[str, str]],
    criteria: dict[str, tuple[CriteriaSet, Path]],
    problems: ProblemList,
    decision_ids: list[str],
) -> dict[str, dict[str, pd.Series]]:
    """Normalised weights per decision and group (ranks turned into rank-order-centroid weights)."""
    out: dict[str, dict[str, pd.Series]] = {d: {} for d in decision_ids}
    for (did, grp), entry in groups.items():
        cs = criteria.get(did, (None, None))[0]
        if cs is None:
            continue
        kinds = {v[2] for v in entry.values()}
        if len(kinds) > 1:
            problems.add(t.path, f"decision '{did}', group '{grp}'", "mixes weights and ranks",
                         "use one kind for all criteria of a group")
            continue
        missing = [c for c in cs.ids if c not in entry]
        if missing and (did, grp) in faulty:
            continue  # its bad rows are reported already
        if missing:
            problems.add(t.path, f"decision '{did}', group '{grp}'", f"no weight or rank for criteria {', '.join(missing)}",
                         "give every criterion a row")
            continue
        vals = pd.Series({c: entry[c][1] for c in cs.ids}, dtype=float)
        if kinds == {1}:
            vals = rank_order_centroid(vals)
        if vals.sum() <= 0:
            problems.add(t.path, f"decision '{did}', group '{grp}'", "all weights are zero",
                         "give at least one criterion a positive weight")
            continue
        out[did][grp] = vals / vals.sum()
    return out


def _check_scenario(
    sc: Scenario,
    path: Path,
    criteria: dict[str, tuple[CriteriaSet, Path]],
    profiles: dict[str, dict[str, pd.Series]],
    problems: ProblemList,
    decision_ids: list[str],
    profiles_ok: bool = True,
) -> None:
    """The scenario's references into the case: its decision, profile and weights (the method names are the engine's)."""
    if sc.decision not in decision_ids:
        problems.add(path, "key 'decision'", f"unknown decision '{sc.decision}'", did_you_mean(sc.decision, decision_ids))
        return
    if sc.decision not in criteria:
        return  # its criteria set failed to load and is reported already; nothing to check against
    known = [*profiles.get(sc.decision, {}), *SPECIAL_SOURCES]
    if sc.profile is not None and sc.profile not in known and not profiles_ok and sc.profile not in SPECIAL_SOURCES:
        problems.add(path, "key 'profile'", "not checked, because profiles.csv has a problem", "fix profiles.csv first")
    elif sc.profile is not None and sc.profile not in known:
        problems.add(path, "key 'profile'", f"no weight profile '{sc.profile}' for decision '{sc.decision}'",
                     did_you_mean(sc.profile, known))
    if sc.weights is not None and sc.decision in criteria:
        ids = criteria[sc.decision][0].ids
        for k in sc.weights:
            if k not in ids:
                problems.add(path, f"key 'weights.{k}'", f"unknown criterion '{k}' for decision '{sc.decision}'",
                             did_you_mean(k, ids))
        missing = [c for c in ids if c not in sc.weights]
        if missing:
            problems.add(path, "key 'weights'", f"no weight for criteria {', '.join(missing)}",
                         "give every criterion a weight, or remove 'weights' to use the profile")
