"""Risk register per option: reading, checking, expected risk score and heatmap.

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
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from procurement.case.csvio import number_column, read_csv
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path

RISK_COLUMNS = ["decision", "option", "risk", "probability", "consequence", "owner", "mitigation", "source"]
SCALE = (1, 5)


def case_options(case_dir: str | Path) -> dict[str, list[str]] | None:
    """Option ids per decision from ``<case_dir>/options.csv``, or None if there is no such file."""
    from procurement.case.loader import OPTION_COLUMNS, OPTION_OPTIONAL

    path = Path(case_dir) / "options.csv"
    if not path.is_file():
        return None
    table = read_csv(path, OPTION_COLUMNS, OPTION_OPTIONAL)
    out: dict[str, list[str]] = {}
    for d, o in zip(table.frame["decision"], table.frame["id"]):
        out.setdefault(d, []).append(o)
    return out


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
    path = Path(path)
    if path.is_dir():
        if options is None:
            options = case_options(path)
        path = path / "risks.csv"
    elif options is None:
        options = case_options(path.parent)
    table = read_csv(path, RISK_COLUMNS)
    f = table.frame
    problems = ProblemList()
    probs = number_column(table, "probability", problems)
    cons = number_column(table, "consequence", problems)
    for col, values in (("probability", probs), ("consequence", cons)):
        for i, v in enumerate(values):
            if v is None:
                continue
            if v != int(v) or not SCALE[0] <= v <= SCALE[1]:
                problems.add(path, f"{table.where(i)}, column '{col}'", f"{f[col].iloc[i]} is not on the 1-5 scale",
                             "give a whole number from 1 (very low) to 5 (very high)")
    for col in ("decision", "option", "risk", "owner", "mitigation", "source"):
        for i, v in enumerate(f[col].tolist()):
            if v == "":
                problems.add(path, f"{table.where(i)}, column '{col}'", "is empty", f"every risk needs its {col}")
    seen: dict[tuple, int] = {}
    for i, key in enumerate(zip(f["decision"], f["option"], f["risk"])):
        if key in seen and key[2]:
            problems.add(path, table.where(i), f"risk '{key[2]}' is listed twice for option '{key[1]}'", f"first at row {seen[key]}")
        seen.setdefault(key, table.lines[i])
    if options is not None:
        for i, (d, o) in enumerate(zip(f["decision"], f["option"])):
            if d and d not in options:
                problems.add(path, f"{table.where(i)}, column 'decision'", f"unknown decision '{d}'", did_you_mean(d, options))
            elif d and o and o not in options[d]:
                problems.add(path, f"{table.where(i)}, column 'option'", f"unknown option '{o}' for decision '{d}'", did_you_mean(o, options[d]))
        for d in dict.fromkeys(f["decision"]):
            for o in options.get(d, []):
                if not ((f["decision"] == d) & (f["option"] == o)).any():
                    problems.add(path, f"decision '{d}'", f"option '{o}' has no risks", "add at least one risk row for it")
    problems.raise_if_any()
    out = f[RISK_COLUMNS].copy()
    out["probability"] = [int(v) for v in probs]
    out["consequence"] = [int(v) for v in cons]
    out["score"] = out["probability"] * out["consequence"]
    out["line"] = table.lines
    out.attrs["path"] = path
    return out


def _one_decision(register: pd.DataFrame, decision: str | None) -> pd.DataFrame:
    decisions = list(dict.fromkeys(register["decision"]))
    name = display_path(register.attrs.get("path", "risks.csv"))
    if decision is None:
        if len(decisions) > 1:
            raise InputError(Problem(name, "", f"holds risks for several decisions ({', '.join(decisions)})", "give the decision"))
        return register
    if decision not in decisions:
        raise InputError(Problem(name, "", f"has no risks for decision '{decision}'", did_you_mean(decision, decisions)))
    return register[register["decision"] == decision]


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
    out = pd.DataFrame({
        "risks": g.size(),
        "mean_score": g["score"].mean(),
        "sum_score": g["score"].sum(),
        "max_score": g["score"].max(),
        "top_risk": g.apply(lambda x: x.loc[x["score"].idxmax(), "risk"], include_groups=False),
    })
    out.index.name = "option"
    return out


def risk_heatmap(register: pd.DataFrame, decision: str | None = None, option: str | None = None,
                 title: str | None = None, language: str = "en", labels: dict[str, str] | None = None) -> Figure:
    """A 5 × 5 probability × consequence heatmap of the risks.

    Cell colour is the risk level (probability × consequence); the number in
    a cell is how many risks lie there.

    Parameters
    ----------
    register
        From :func:`read_risks`.
    decision
        Decision id; may be omitted when the register holds one decision.
    option
        Only this option's risks; default all options of the decision.
    title
        Figure title.
    language
        Language of the axis labels, colour-bar label and default title ('en' or 'nb').
    labels
        Optional option id -> display name for the default title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from procurement.report.i18n import label

    reg = _one_decision(register, decision)
    if option is not None:
        if option not in set(reg["option"]):
            raise InputError(Problem("option", "", f"no risks for option '{option}'", did_you_mean(option, reg["option"])))
        reg = reg[reg["option"] == option]
    levels = list(range(SCALE[1], SCALE[0] - 1, -1))
    cons = list(range(SCALE[0], SCALE[1] + 1))
    counts = (reg.groupby(["probability", "consequence"]).size()
              .reindex(pd.MultiIndex.from_product([levels, cons], names=["probability", "consequence"]), fill_value=0)
              .unstack("consequence").loc[levels, cons])
    level = pd.DataFrame(np.outer(levels, cons), index=pd.Index(levels, name="probability"), columns=pd.Index(cons, name="consequence"))
    annot = counts.map(lambda n: str(n) if n else "")
    fig = Figure(figsize=(5.5, 4.5), layout="constrained")
    ax = fig.subplots()
    sns.heatmap(level, ax=ax, cmap="RdYlGn_r", vmin=1, vmax=25, annot=annot, fmt="", cbar_kws={"label": label("fig_risk_level", language)},
                linewidths=0.5, linecolor="white", annot_kws={"fontsize": 11, "fontweight": "bold"})
    ax.set_xlabel(f"{label('fig_consequence', language)} (1–5)")
    ax.set_ylabel(f"{label('fig_probability', language)} (1–5)")
    name = (labels or {}).get(option, option) if option else ""
    ax.set_title(title or f"{label('fig_risks', language)}{f' – {name}' if name else ''} ({label('fig_per_cell', language)})")
    return fig


__all__ = ["RISK_COLUMNS", "case_options", "expected_risk", "read_risks", "risk_heatmap", "risk_summary"]
