"""The cost and delay of getting a procurement route wrong: complaints, injunctions, fines, ineffectiveness.

Two files hold the data:

``procurement/reference/enforcement.yaml``
    the events (``complaint``, ``injunction``, ``fine``, ``ineffectiveness``) with
    their labels in bokmål and English, legal basis, ``verified`` flag and, for the
    infringement fine, the legal cap as a share of the procurement's value;
``<case>/enforcement.csv``
    per decision and option, one row per event::

        decision,option,event,probability,delay_months,cost_mnok,year,basis_mnok,source

    ``probability`` is a share 0–1 that the event happens; ``delay_months`` and
    ``cost_mnok`` are its consequence if it does; ``year`` is the calendar year the
    cost falls in; ``basis_mnok`` (optional, needed for ``fine``) is the contract
    value the fine is measured against.

Arithmetic
----------
The events of an option are taken as independent. The expected cost of an event is
``probability × cost_mnok`` (a risk cost for the cost-benefit analysis, see
:func:`risk_costs`); the expected delay of an option is ``Σ probability × delay``.
The delay distribution is exact: every combination of events that happen, with its
probability, gives a total delay; P50 and P85 are the smallest delays whose
cumulative probability reaches 0.50 and 0.85 (:func:`delay_quantiles`).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import Field, ValidationError

from procurement import reference
from procurement.case import yamlsafe
from procurement.case.csvio import read_csv
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.law.models import RuleModel, Text  # Text: the one bilingual text of the law data
from procurement.text import fmt
from procurement.text.labels import label

COLUMNS = ["decision", "option", "event", "probability", "delay_months", "cost_mnok", "year", "source"]
OPTIONAL = ["basis_mnok", "source_nb"]
FILE = "enforcement.csv"


class Event(RuleModel):
    label: Text
    note: Text
    citation: str = Field(min_length=1)
    verified: bool
    source: str = Field(min_length=1)
    cap_share: float | None = Field(default=None, gt=0, le=1)
    cap_citation: str | None = None
    cap_verified: bool | None = None


class EnforcementFile(RuleModel):
    events: dict[str, Event] = Field(min_length=1)


@dataclass(frozen=True)
class RiskCost:
    """An expected cost of getting the route wrong, for the cost-benefit analysis.

    ``year`` is a calendar year; ``mnok`` the expected value (probability × cost) in
    MNOK; ``label`` the event in bokmål and English (``{"nb": ..., "en": ...}``);
    ``source`` where the probability and consequence come from, with the legal basis.
    """

    year: int
    mnok: float
    label: dict[str, str] = field(default_factory=dict)
    source: str = ""
    #: ``source`` in bokmål (the case's ``source_nb`` column; ``source`` where the case has none)
    source_nb: str = field(default="", compare=False)


@functools.lru_cache(maxsize=4)
def _load_events(path: str, stamp: int) -> EnforcementFile:
    p = Path(path)
    data = yamlsafe.load(p)  # bounded; syntax errors name the file, line and column
    try:
        return EnforcementFile.model_validate(data)
    except ValidationError as e:
        raise InputError([Problem(display_path(p), ".".join(str(x) for x in err["loc"]), err["msg"])
                          for err in e.errors()]) from None


def load_events(path: str | Path | None = None) -> EnforcementFile:
    """The enforcement events (the package's ``enforcement.yaml`` unless a file is given)."""
    p = Path(path) if path is not None else reference.path("enforcement.yaml")
    return _load_events(str(p.resolve()), p.stat().st_mtime_ns)


def _number(table, cells: dict[str, list], i: int, col: str, problems: ProblemList, lo: float, hi: float | None,
            hint: str) -> float | None:
    cell = cells[col][i]
    if cell == "":
        return None
    try:
        x = float(str(cell).replace(",", ".") if table.decimal == "," else cell)
    except ValueError:
        problems.add(table.path, f"{table.where(i)}, column '{col}'", f"'{cell}' is not a number", hint)
        return None
    if x != x or x < lo or (hi is not None and x > hi):
        problems.add(table.path, f"{table.where(i)}, column '{col}'", f"{cell} is out of range", hint)
        return None
    return x


_HINTS = {
    "probability": (0.0, 1.0, "give a share from 0 to 1, e.g. 0.25"),
    "delay_months": (0.0, None, "give the delay in months if the event happens (0 or more)"),
    "cost_mnok": (0.0, None, "give the cost in MNOK if the event happens (0 or more)"),
    "year": (1900.0, 2200.0, "give the calendar year the cost falls in, e.g. 2026"),
    "basis_mnok": (0.0, None, "give the contract value in MNOK the fine is measured against"),
}


def _check_row(table, cells: dict[str, list], i: int, events: EnforcementFile, options: dict[str, list[str]] | None,
               problems: ProblemList) -> dict | None:
    row: dict = {c: cells[c][i] for c in ("decision", "option", "event", "source")}
    row["source_nb"] = cells["source_nb"][i] if "source_nb" in cells else ""
    where = table.where(i)
    if row["event"] not in events.events:
        problems.add(table.path, f"{where}, column 'event'", f"unknown event '{row['event']}'",
                     did_you_mean(row["event"], list(events.events)))
    if options is not None:
        if row["decision"] not in options:
            problems.add(table.path, f"{where}, column 'decision'", f"unknown decision '{row['decision']}'",
                         did_you_mean(row["decision"], options))
        elif row["option"] not in options[row["decision"]]:
            problems.add(table.path, f"{where}, column 'option'", f"unknown option '{row['option']}'",
                         did_you_mean(row["option"], options[row["decision"]]))
    if not row["source"]:
        problems.add(table.path, f"{where}, column 'source'", "is empty", "every row needs the source of its figures")
    cols = [c for c in _HINTS if c in cells]
    for col in cols:
        lo, hi, hint = _HINTS[col]
        row[col] = _number(table, cells, i, col, problems, lo, hi, hint)
        if row[col] is None and col != "basis_mnok" and cells[col][i] == "":
            problems.add(table.path, f"{where}, column '{col}'", "is empty", hint)
    row.setdefault("basis_mnok", None)
    _check_cap(table, i, row, events, problems)
    return row


def _check_cap(table, i: int, row: dict, events: EnforcementFile, problems: ProblemList) -> None:
    """A fine above the legal cap (cap_share × basis) is a problem; a fine without a basis too."""
    ev = events.events.get(row["event"])
    if ev is None or ev.cap_share is None or row.get("cost_mnok") is None:
        return
    basis = row.get("basis_mnok")
    if basis is None:
        problems.add(table.path, f"{table.where(i)}, column 'basis_mnok'", "is empty for a fine",
                     f"give the contract value the fine is measured against (cap {ev.cap_share:.0%}, {ev.cap_citation})")
    elif row["cost_mnok"] > ev.cap_share * basis + 1e-9:
        problems.add(table.path, f"{table.where(i)}, column 'cost_mnok'",
                     f"fine {row['cost_mnok']:g} MNOK is above the legal cap {ev.cap_share:.0%} of {basis:g} MNOK",
                     f"at most {ev.cap_share * basis:g} MNOK ({ev.cap_citation})")


def read_enforcement(case_dir: str | Path, options: dict[str, list[str]] | None = None,
                     events: EnforcementFile | None = None) -> pd.DataFrame:
    """Read and check ``<case_dir>/enforcement.csv`` (an empty frame when the case has none).

    Raises
    ------
    InputError
        Every problem, each naming the file, row and column.
    """
    path = Path(case_dir) / FILE
    if not path.is_file():
        return pd.DataFrame(columns=[*COLUMNS, *OPTIONAL, "line"])
    events = events or load_events()
    table = read_csv(path, COLUMNS, OPTIONAL)
    problems = ProblemList()
    # the columns as lists, read once: a cell read with .iloc costs about 10 µs, and every command that simulates
    # the cost-benefit analysis reads this file (validate eight times)
    cells = {c: table.frame[c].tolist() for c in table.frame.columns}
    rows = [_check_row(table, cells, i, events, options, problems) for i in range(len(table.frame))]
    seen: dict[tuple, int] = {}
    for i, r in enumerate(rows):
        key = (r["decision"], r["option"], r["event"]) if r else None
        if key in seen:
            problems.add(path, table.where(i), f"event '{key[2]}' is listed twice for option '{key[1]}'",
                         f"first at line {seen[key]}")
        if key:
            seen.setdefault(key, table.lines[i])
    problems.raise_if_any()
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype(int)
    out["line"] = table.lines
    out.attrs["path"] = path
    return out


def _case_rows(case, decision_id: str) -> pd.DataFrame:
    case.decision(decision_id)
    reg = read_enforcement(case.path, {d: list(dec.option_ids) for d, dec in case.decisions.items()})
    return reg[reg["decision"] == decision_id]


def risk_costs(case, decision_id: str) -> dict[str, list[RiskCost]]:
    """Expected enforcement costs per option of a decision, for the cost-benefit analysis.

    One :class:`RiskCost` per event row with a cost: ``mnok = probability × cost_mnok``
    in its calendar ``year``. Options without rows (and cases without
    ``enforcement.csv``) get no entry.
    """
    events = load_events()
    out: dict[str, list[RiskCost]] = {}
    for r in _case_rows(case, decision_id).to_dict("records"):
        ev = events.events[r["event"]]
        mnok = float(r["probability"]) * float(r["cost_mnok"])
        if mnok == 0:
            continue
        out.setdefault(r["option"], []).append(
            RiskCost(year=int(r["year"]), mnok=mnok, label={"nb": ev.label.nb, "en": ev.label.en},
                     source=f"{r['source']} [{ev.citation}]",
                     source_nb=f"{r.get('source_nb') or r['source']} [{ev.citation}]")
        )
    return out


def delay_quantiles(events: list[tuple[float, float]], quantiles: tuple[float, ...] = (0.5, 0.85)) -> dict[str, float]:
    """Expected delay and quantiles of the total delay of independent events.

    Parameters
    ----------
    events
        ``(probability, delay)`` per event.
    quantiles
        Shares; each answer is the smallest total delay whose cumulative
        probability reaches the share.

    Returns
    -------
    dict
        ``expected`` and ``p50``, ``p85`` (for the default quantiles).
    """
    outcomes: dict[float, float] = {}
    for hits in itertools.product((False, True), repeat=len(events)):
        p = 1.0
        d = 0.0
        for (prob, delay), hit in zip(events, hits, strict=True):
            p *= prob if hit else 1.0 - prob
            d += delay if hit else 0.0
        outcomes[d] = outcomes.get(d, 0.0) + p
    out = {"expected": float(sum(p * d for p, d in events))}
    for q in quantiles:
        cum = 0.0
        for d in sorted(outcomes):
            cum += outcomes[d]
            if cum >= q - 1e-12:
                out[f"p{round(q * 100)}"] = d
                break
    return out


def delays(case, decision_id: str) -> dict[str, dict[str, float]]:
    """Option -> expected, P50 and P85 delay in months of its enforcement events (see :func:`delay_quantiles`)."""
    reg = _case_rows(case, decision_id)
    return {str(o): delay_quantiles([(float(p), float(d)) for p, d in zip(g["probability"], g["delay_months"], strict=True)])
            for o, g in reg.groupby("option", sort=False)}


def _yes_no(flag: bool, language: str) -> str:
    return label("yes" if flag else "no", language)


def _share(p: float, language: str) -> str:
    return fmt.percent(p, language, decimals=0)


def enforcement_table(case, decision_id: str, language: str = "nb") -> pd.DataFrame:
    """Per option (index): label, expected cost (MNOK), expected, P50 and P85 delay (months), the events and their legal basis."""
    events = load_events()
    reg = _case_rows(case, decision_id)
    names = case.decision(decision_id).option_labels(language)
    rows = []
    for oid, grp in reg.groupby("option", sort=False):
        recs = grp.to_dict("records")
        q = delay_quantiles([(float(r["probability"]), float(r["delay_months"])) for r in recs])
        rows.append({
            "option": oid,
            "label": names.get(str(oid), str(oid)),
            "expected_cost_mnok": float(sum(r["probability"] * r["cost_mnok"] for r in recs)),
            "expected_delay_months": q["expected"],
            "p50_delay_months": q["p50"],
            "p85_delay_months": q["p85"],
            "events": "; ".join(f"{events.events[r['event']].label.get(language)} ({_share(r['probability'], language)})"
                                for r in recs),
            "citations": "; ".join(dict.fromkeys(events.events[r["event"]].citation for r in recs)),
            "verified": _yes_no(all(events.events[r["event"]].verified for r in recs), language),
        })
    cols = ["option", "label", "expected_cost_mnok", "expected_delay_months", "p50_delay_months", "p85_delay_months",
            "events", "citations", "verified"]
    return pd.DataFrame(rows, columns=cols).set_index("option")


__all__ = ["RiskCost", "delay_quantiles", "delays", "enforcement_table", "load_events", "read_enforcement", "risk_costs"]
