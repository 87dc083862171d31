"""Risk register per option: reading, checking, expected risk score and the risks behind a heatmap.

A case's ``risks.csv`` has one row per risk::

    decision,option,risk,probability,consequence,owner,mitigation,source

``probability`` and ``consequence`` are whole numbers on 1–5 scales (1 = very
low, 5 = very high). A risk's score is probability × consequence (1–25).

Expected risk score
-------------------
The expected risk score of an option is the **mean** of its risks' scores
(probability × consequence), on the 1–25 scale; lower is better. The mean is
the default because it does not penalise an option for having its risks
described in more detail (more rows); ``how="sum"`` gives the sum instead, for
advisors who want the number of risks to count.

The probability × consequence heatmap is drawn by :func:`procurement.plots.risk.risk_heatmap` from the
grid of :func:`risk_counts`; :func:`case_risks` gives everything ``procurement risks`` and the engine
(:meth:`procurement.analysis.Analysis.risks`) show as one :class:`RiskRegister`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from procurement.case.csvio import Table, number_column, read_csv
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.case.loader import OPTION_COLUMNS, OPTION_OPTIONAL
from procurement.law.enforcement import FILE as ENFORCEMENT_FILE
from procurement.law.enforcement import enforcement_table
from procurement.text.sentences import Assumption, describe

RISK_COLUMNS = ["decision", "option", "risk", "probability", "consequence", "owner", "mitigation", "source"]
SCALE = (1, 5)
_TEXT_COLUMNS = ("decision", "option", "risk", "owner", "mitigation", "source")


def case_options(case_dir: str | Path) -> dict[str, list[str]] | None:
    """Option ids per decision from ``<case_dir>/options.csv``, or None if there is no such file."""
    path = Path(case_dir) / "options.csv"
    if not path.is_file():
        return None
    table = read_csv(path, OPTION_COLUMNS, OPTION_OPTIONAL)
    out: dict[str, list[str]] = {}
    for d, o in zip(table.frame["decision"], table.frame["id"], strict=True):
        out.setdefault(d, []).append(o)
    return out


def _risk_path(path: str | Path, options: dict[str, list[str]] | None) -> tuple[Path, dict[str, list[str]] | None]:
    """The ``risks.csv`` file for a file or case folder, and the options to check against."""
    path = Path(path)
    if path.is_dir():
        return path / "risks.csv", options if options is not None else case_options(path)
    return path, options if options is not None else case_options(path.parent)


def _check_scales(table: Table, path: Path, problems: ProblemList) -> dict[str, list[float | None]]:
    """Probability and consequence as numbers; a problem for each one off the 1–5 scale."""
    f = table.frame
    out = {col: number_column(table, col, problems) for col in ("probability", "consequence")}
    for col, values in out.items():
        for i, v in enumerate(values):
            if v is not None and (v != int(v) or not SCALE[0] <= v <= SCALE[1]):
                problems.add(path, f"{table.where(i)}, column '{col}'", f"{f[col].iloc[i]} is not on the 1-5 scale",
                             "give a whole number from 1 (very low) to 5 (very high)")
    return out


def _check_cells(table: Table, path: Path, problems: ProblemList) -> None:
    """Every required text cell filled; no risk listed twice for one option."""
    f = table.frame
    for col in _TEXT_COLUMNS:
        for i, v in enumerate(f[col].tolist()):
            if v == "":
                problems.add(path, f"{table.where(i)}, column '{col}'", "is empty", f"every risk needs its {col}")
    seen: dict[tuple, int] = {}
    for i, key in enumerate(zip(f["decision"], f["option"], f["risk"], strict=True)):
        if key in seen and key[2]:
            problems.add(path, table.where(i), f"risk '{key[2]}' is listed twice for option '{key[1]}'",
                         f"first at row {seen[key]}")
        seen.setdefault(key, table.lines[i])


def _check_options(table: Table, path: Path, options: dict[str, list[str]], problems: ProblemList) -> None:
    """Known decisions and options; every option of a decision in the register has a risk."""
    f = table.frame
    for i, (d, o) in enumerate(zip(f["decision"], f["option"], strict=True)):
        if d and d not in options:
            problems.add(path, f"{table.where(i)}, column 'decision'", f"unknown decision '{d}'", did_you_mean(d, options))
        elif d and o and o not in options[d]:
            problems.add(path, f"{table.where(i)}, column 'option'", f"unknown option '{o}' for decision '{d}'",
                         did_you_mean(o, options[d]))
    for d in dict.fromkeys(f["decision"]):
        for o in options.get(d, []):
            if not ((f["decision"] == d) & (f["option"] == o)).any():
                problems.add(path, f"decision '{d}'", f"option '{o}' has no risks", "add at least one risk row for it")


def read_risks(
    path: str | Path,
    options: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """Read and check a risk register.

    Parameters
    ----------
    path
        ``risks.csv`` or a case folder holding it.
    options
        Option ids per decision to check against; by default read from the
        case's ``options.csv`` when it exists. Every option of a decision that
        appears in the register must have at least one risk.

    Returns
    -------
    pandas.DataFrame
        Columns of ``risks.csv`` with ``probability`` and ``consequence`` as
        ints, plus ``score`` (probability × consequence) and ``line`` (the
        file line).

    Raises
    ------
    InputError
        Every problem, each naming the file, row and column: a value outside
        1–5 or not a whole number, an empty required cell, an unknown decision
        or option, a risk listed twice, an option without risks.
    """
    path, options = _risk_path(path, options)
    table = read_csv(path, RISK_COLUMNS)
    problems = ProblemList()
    scales = _check_scales(table, path, problems)
    _check_cells(table, path, problems)
    if options is not None:
        _check_options(table, path, options, problems)
    problems.raise_if_any()
    out = table.frame[RISK_COLUMNS].copy()
    for col, values in scales.items():
        out[col] = [int(v) for v in values if v is not None]
    out["score"] = out["probability"] * out["consequence"]
    out["line"] = table.lines
    out.attrs["path"] = path
    return out


def _one_decision(register: pd.DataFrame, decision: str | None) -> pd.DataFrame:
    decisions = list(dict.fromkeys(register["decision"]))
    name = display_path(register.attrs.get("path", "risks.csv"))
    if decision is None:
        if len(decisions) > 1:
            several = f"holds risks for several decisions ({', '.join(decisions)})"
            raise InputError(Problem(name, "", several, "give the decision"))
        return register
    if decision not in decisions:
        raise InputError(Problem(name, "", f"has no risks for decision '{decision}'", did_you_mean(decision, decisions)))
    return register[register["decision"] == decision]


def option_risks(register: pd.DataFrame, decision: str | None = None, option: str | None = None) -> pd.DataFrame:
    """The risks of one decision, or of one of its options.

    Parameters
    ----------
    register
        From :func:`read_risks`.
    decision
        Decision id; may be omitted when the register holds one decision.
    option
        Only this option's risks; default all options of the decision.

    Raises
    ------
    InputError
        An unknown decision, or an option without risks (key ``option``).
    """
    reg = _one_decision(register, decision)
    if option is None:
        return reg
    if option not in set(reg["option"]):
        raise InputError(Problem("option", "", f"no risks for option '{option}'", did_you_mean(option, reg["option"])))
    return reg[reg["option"] == option]


def expected_risk(register: pd.DataFrame, decision: str | None = None, how: str = "mean") -> pd.Series:
    """Expected risk score per option: an MCDA criterion (lower is better).

    Parameters
    ----------
    register
        From :func:`read_risks`.
    decision
        Decision id; may be omitted when the register holds one decision.
    how
        ``"mean"`` (default) or ``"sum"`` of probability × consequence over the option's risks.

    Returns
    -------
    pandas.Series
        Indexed by option id (in file order), named ``expected_risk``; with
        ``how="mean"`` on the 1–25 scale.
    """
    if how not in ("mean", "sum"):
        raise InputError(Problem("how", "", f"unknown aggregation '{how}'", "valid: mean, sum"))
    reg = _one_decision(register, decision)
    s = reg.groupby("option", sort=False)["score"].agg(how).astype(float)
    s.name = "expected_risk"
    s.index.name = "option"
    return s


def risk_summary(register: pd.DataFrame, decision: str | None = None) -> pd.DataFrame:
    """Per option: number of risks, mean, sum and max score, and the top risk."""
    reg = _one_decision(register, decision)
    g = reg.groupby("option", sort=False)
    top = reg.loc[g["score"].idxmax(), ["option", "risk"]].set_index("option")["risk"]
    out = pd.DataFrame({
        "risks": g.size(),
        "mean_score": g["score"].mean(),
        "sum_score": g["score"].sum(),
        "max_score": g["score"].max(),
        "top_risk": top,
    })
    out.index.name = "option"
    return out


#: Probability levels top to bottom (5..1) and consequence levels left to right (1..5) of the risk grid.
LEVELS = list(range(SCALE[1], SCALE[0] - 1, -1))
CONSEQUENCES = list(range(SCALE[0], SCALE[1] + 1))


def risk_counts(risks: pd.DataFrame) -> pd.DataFrame:
    """How many risks lie in each cell: probability 5..1 (index) × consequence 1..5 (columns), every cell present."""
    grid = pd.MultiIndex.from_product([LEVELS, CONSEQUENCES], names=["probability", "consequence"])
    counts = risks.groupby(["probability", "consequence"]).size().reindex(grid, fill_value=0)
    return counts.unstack("consequence").loc[LEVELS, CONSEQUENCES]


@dataclass
class RiskRegister:
    """The risks of one decision of a case and what they add up to.

    ``register`` holds the decision's rows of ``risks.csv`` (:func:`read_risks`); ``expected`` the expected risk
    score per option (``how``: mean or sum of probability × consequence; lower is better); ``summary`` the number of
    risks, mean, sum and max score and the top risk per option; ``enforcement`` the expected cost and delay of
    getting the route wrong (``enforcement.csv``; None when the case has none).
    """

    decision: str
    how: str
    register: pd.DataFrame
    expected: pd.Series
    summary: pd.DataFrame
    enforcement: pd.DataFrame | None = None
    language: str = "en"
    assumptions: list[Assumption] = field(default_factory=list)

    def option_risks(self, option: str | None = None) -> pd.DataFrame:
        """The decision's risks, or one option's (InputError, key ``option``, for an option without risks)."""
        return option_risks(self.register, self.decision, option)

    def counts(self, option: str | None = None) -> pd.DataFrame:
        """The 5 × 5 grid of how many risks lie in each cell (:func:`risk_counts`), of the decision or one option."""
        return risk_counts(self.option_risks(option))

    def to_frame(self) -> pd.DataFrame:
        """Per option (index): ``expected_risk`` and the summary (risks, mean, sum and max score, top risk)."""
        out = self.summary.copy()
        out.insert(0, "expected_risk", self.expected)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, what ``procurement risks --format json`` prints: the scores, the risks, enforcement, assumptions."""
        rows = self.register.drop(columns=["line"])
        out: dict[str, Any] = {
            "decision": self.decision,
            "how": self.how,
            "expected_risk": {str(o): float(v) for o, v in self.expected.items()},
            "risks": [{k: _native(v) for k, v in r.items()} for r in rows.to_dict("records")],
        }
        if self.enforcement is not None:
            out["enforcement"] = [{k: _native(v) for k, v in r.items()}
                                  for r in self.enforcement.reset_index().to_dict("records")]
        out["assumptions"] = [a.to_dict() for a in self.assumptions]
        return out

    def describe(self, language: str | None = None) -> list[str]:
        """One sentence per assumption, in `language` (default: the register's)."""
        return describe(self.assumptions, language or self.language)


def _native(v: Any) -> Any:
    """A table cell as JSON-ready data (numpy scalars as Python numbers and booleans)."""
    return v.item() if hasattr(v, "item") else v


def case_risks(case: Any, decision: str, how: str = "mean", language: str = "en") -> RiskRegister:
    """The risk register of a decision of a loaded case, with the cost and delay of enforcement when the case has them.

    Raises
    ------
    InputError
        A problem in ``risks.csv`` or ``enforcement.csv``, a decision the register has no risks for, an unknown `how`.
    """
    register = read_risks(Path(case.path), {d: list(dec.option_ids) for d, dec in case.decisions.items()})
    expected = expected_risk(register, decision, how)
    rows = option_risks(register, decision)
    has_enforcement = (Path(case.path) / ENFORCEMENT_FILE).is_file()
    assumptions = [Assumption(f"law.assume.risk_{how}", {"file": Path(register.attrs["path"]).name})]
    if has_enforcement:
        assumptions.append(Assumption("law.assume.enforcement", {"file": ENFORCEMENT_FILE}))
    return RiskRegister(
        decision=decision,
        how=how,
        register=rows,
        expected=expected,
        summary=risk_summary(register, decision),
        enforcement=enforcement_table(case, decision, language) if has_enforcement else None,
        language=language,
        assumptions=assumptions,
    )


__all__ = ["CONSEQUENCES", "LEVELS", "RISK_COLUMNS", "RiskRegister", "case_options", "case_risks", "expected_risk",
           "option_risks", "read_risks", "risk_counts", "risk_summary"]
