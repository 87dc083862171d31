"""Reading and checking ``cashflows.csv``: three-point cash flows per option and year.

The file format is described in ``docs/formats.md``::

    decision,option,year,category,low,likely,high,source

One row per decision, option, category and year; ``category`` is one of
:data:`CATEGORIES`; ``low <= likely <= high``, all non-negative amounts in the
case's ``cash_flow_unit`` of real base-year prices. A cost category counts
negative in the net present value, ``benefit`` positive.

:func:`read_cashflows` is called by the case loader. It adds every problem to
the caller's :class:`~procurement.case.errors.ProblemList` (one line each, naming
file and row) and returns the good rows in NOK, so the loader can report the
whole case at once.
"""

from __future__ import annotations

import bisect
from pathlib import Path

import pandas as pd

from procurement.case.csvio import number_column, read_csv
from procurement.case.errors import InputError, ProblemList, did_you_mean

#: Cash-flow categories; all but ``benefit`` are costs. ``risk`` holds expected risk costs (probability x cost),
#: such as the enforcement risk costs the cost-benefit analysis adds from ``enforcement.csv``.
CATEGORIES: tuple[str, ...] = ("investment", "operations", "transition", "benefit", "risk")
#: The cost categories.
COST_CATEGORIES: tuple[str, ...] = ("investment", "operations", "transition", "risk")
#: NOK per unit for each allowed ``cash_flow_unit``.
UNITS: dict[str, float] = {"NOK": 1.0, "kNOK": 1e3, "MNOK": 1e6}

REQUIRED = ("decision", "option", "year", "category", "low", "likely", "high", "source")
COLUMNS = ["decision", "option", "year", "category", "low", "likely", "high", "source", "row"]


def unit_factor(unit: str, problems: ProblemList | None = None, file: str | Path = "case.yaml") -> float:
    """NOK per unit of ``unit`` (``NOK``, ``kNOK`` or ``MNOK``).

    Parameters
    ----------
    unit : str
        The case's ``cash_flow_unit``.
    problems : ProblemList, optional
        Where to add a problem for an unknown unit; if None, raise InputError.
    file : str or Path
        The file named in the problem.

    Returns
    -------
    float
        The factor, or 1.0 after adding a problem.
    """
    if unit in UNITS:
        return UNITS[unit]
    own = ProblemList() if problems is None else problems
    own.add(file, "key 'cash_flow_unit'", f"unknown unit '{unit}'", did_you_mean(str(unit), UNITS))
    if problems is None:
        own.raise_if_any()
    return 1.0


def empty_cashflows() -> pd.DataFrame:
    """An empty cash-flow frame with the columns and dtypes :func:`read_cashflows` returns."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return frame.astype({"year": "int64", "low": "float64", "likely": "float64", "high": "float64", "row": "int64"})


def read_cashflows(
    path: str | Path,
    options: dict[str, set[str]],
    problems: ProblemList,
    unit: str = "NOK",
) -> pd.DataFrame:
    """Read and check a ``cashflows.csv`` file.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    options : dict of str to set of str
        Decision id -> the option ids of that decision.
    problems : ProblemList
        Every problem found is added here (file, row, what is wrong, what would be right).
    unit : str
        The case's ``cash_flow_unit``: ``NOK``, ``kNOK`` or ``MNOK``.

    Returns
    -------
    pandas.DataFrame
        Columns ``decision, option, year (int), category, low, likely, high``
        (float, NOK), ``source`` and ``row`` (line number in the file), for the
        rows without problems. ``attrs["path"]`` holds the file path.

    Notes
    -----
    Checks: required columns; integer years and numeric amounts (decimal mark
    as in :mod:`procurement.case.csvio`); a non-empty source; then, on the parsed
    rows, everything :func:`check_cashflows` checks (ids with a "did you
    mean", categories, amounts, order of years).
    """
    path = Path(path)
    factor = unit_factor(unit, problems)
    try:
        table = read_csv(path, REQUIRED)
    except InputError as err:
        problems.extend(err.problems)
        return empty_cashflows()
    frame = table.frame
    n = len(frame)
    good = [True] * n  # parsed: whole year and three numbers
    sourced = [True] * n
    found = ProblemList()  # this file's problems, reported in row order at the end

    years_raw = number_column(table, "year", found)
    year_cells: list[str] = frame["year"].tolist()
    years: list[int | None] = []
    for i, y in enumerate(years_raw):
        if y is not None and not float(y).is_integer():
            found.add(path, f"{table.where(i)}, column 'year'", f"'{year_cells[i]}' is not a whole year",
                      "write a calendar year such as 2026")
            y = None
        elif y is not None and not 1900 <= y <= 2200:
            found.add(path, f"{table.where(i)}, column 'year'", f"'{year_cells[i]}' is not a year from 1900 to 2200",
                      "write a calendar year such as 2026")
            y = None
        years.append(None if y is None else int(y))
        good[i] = years[i] is not None

    values = {c: number_column(table, c, found) for c in ("low", "likely", "high")}
    # the text columns as lists, read once: a cell read with frame.at costs about 10 µs, 0.05-0.1 s of a command's
    # start on the example's 925 rows
    cells = {c: frame[c].tolist() for c in ("decision", "option", "category", "source")}
    for i in range(n):
        if any(values[c][i] is None for c in ("low", "likely", "high")):
            good[i] = False
        if cells["source"][i] == "":
            sourced[i] = False
            found.add(path, f"{table.where(i)}, column 'source'", "is empty",
                      "say where the estimate comes from, or 'illustrative'")

    keep = [i for i in range(n) if good[i]]
    out = pd.DataFrame(
        {
            "decision": [cells["decision"][i] for i in keep],
            "option": [cells["option"][i] for i in keep],
            "year": pd.Series([years[i] for i in keep], dtype="int64"),
            "category": [cells["category"][i] for i in keep],
            "low": _in_nok(values["low"], keep, factor),
            "likely": _in_nok(values["likely"], keep, factor),
            "high": _in_nok(values["high"], keep, factor),
            "source": [cells["source"][i] for i in keep],
            "row": pd.Series([table.lines[i] for i in keep], dtype="int64"),
        },
        columns=COLUMNS,
    )
    if out.empty:
        out = empty_cashflows()
    # amounts are checked in the file's unit so messages show the numbers the user typed
    shown = out.copy()
    for c in ("low", "likely", "high"):
        shown[c] = shown[c] / factor
    ok = check_cashflows(shown, options, found, path) & pd.Series([sourced[i] for i in keep], index=out.index, dtype=bool)
    out = out[ok].reset_index(drop=True)
    problems.extend(sorted(found.problems, key=_row_number))
    out.attrs["path"] = str(path)
    return out


def _in_nok(amounts: list[float | None], keep: list[int], factor: float) -> pd.Series:
    """The kept rows' amounts times the unit factor (a kept row has all three numbers)."""
    return pd.Series([a * factor for i in keep if (a := amounts[i]) is not None], dtype="float64")


def _row_number(problem) -> int:
    """The file line a problem names (for sorting), 0 if none."""
    where = problem.where
    if where.startswith("row "):
        digits = where[4:].split(",")[0]
        if digits.isdigit():
            return int(digits)
    return 0


def check_cashflows(
    flows: pd.DataFrame,
    options: dict[str, set[str]] | None,
    problems: ProblemList,
    path: str | Path = "cashflows.csv",
) -> pd.Series:
    """Check a cash-flow frame's content; add a problem for each bad row.

    Used by :func:`read_cashflows` after parsing and by the cost-benefit
    analysis on frames built directly (notebooks, tests).

    Parameters
    ----------
    flows : pandas.DataFrame
        Columns as returned by :func:`read_cashflows`; ``row`` names the file
        line in messages (the frame position + 2 if absent).
    options : dict of str to set of str, or None
        Decision id -> option ids; None skips the id checks.
    problems : ProblemList
        Where problems are added.
    path : str or Path
        The file named in messages.

    Returns
    -------
    pandas.Series of bool
        True for rows without problems, aligned with ``flows``.

    Notes
    -----
    Checks: known decision, option and category; non-negative amounts with
    ``low <= likely <= high``; per decision, option and category the years
    strictly increase down the file (a repeated year and a year out of order are
    reported with the row they clash with).
    """
    n = len(flows)
    rows = flows["row"].tolist() if "row" in flows.columns else [i + 2 for i in range(n)]
    ok = [True] * n
    dec = flows["decision"].tolist()
    opt = flows["option"].tolist()
    cat = flows["category"].tolist()
    years = flows["year"].tolist()
    lo, li, hi = (flows[c].tolist() for c in ("low", "likely", "high"))
    for i in range(n):
        where = f"row {rows[i]}"
        if options is not None:
            if dec[i] not in options:
                ok[i] = False
                problems.add(path, f"{where}, column 'decision'", f"unknown decision '{dec[i]}'", did_you_mean(dec[i], options))
            elif opt[i] not in options[dec[i]]:
                ok[i] = False
                problems.add(
                    path,
                    f"{where}, column 'option'",
                    f"decision '{dec[i]}' has no option '{opt[i]}'",
                    did_you_mean(opt[i], options[dec[i]]),
                )
        if cat[i] not in CATEGORIES:
            ok[i] = False
            problems.add(path, f"{where}, column 'category'", f"unknown category '{cat[i]}'", did_you_mean(cat[i], CATEGORIES))
        for c, v in (("low", lo[i]), ("likely", li[i]), ("high", hi[i])):
            if v < 0:
                ok[i] = False
                problems.add(
                    path,
                    f"{where}, column '{c}'",
                    f"is negative ({v:g})",
                    "amounts are positive; the category says whether it is a cost or a benefit",
                )
        if not lo[i] <= li[i] <= hi[i]:
            ok[i] = False
            problems.add(
                path,
                f"{where}, columns 'low,likely,high'",
                f"{lo[i]:g}, {li[i]:g}, {hi[i]:g} are not in order",
                "low <= likely <= high is required",
            )
    seen: dict[tuple, int] = {}
    groups: dict[tuple, list[int]] = {}
    for i in range(n):
        key = (dec[i], opt[i], cat[i])
        year = int(years[i])
        if key + (year,) in seen:
            ok[i] = False
            problems.add(
                path,
                f"row {rows[i]}, column 'year'",
                f"year {year} appears twice for option '{opt[i]}', category '{cat[i]}' (also row {seen[key + (year,)]})",
                "give one row per option, category and year",
            )
            continue
        seen[key + (year,)] = rows[i]
        groups.setdefault(key, []).append(i)
    # Years of one option and category must increase. Name only the rows that break the order:
    # those outside the longest increasing run of years, so one mistyped year is one problem.
    for idx in groups.values():
        ys = [int(years[i]) for i in idx]
        keep = _longest_increasing(ys)
        if len(keep) == len(ys):
            continue
        before, after = _kept_neighbours(ys, keep)
        for pos, i in enumerate(idx):
            if pos in keep:
                continue
            ok[i] = False
            around = " and ".join(f"{w} {y}" for w, y in (("after", before[pos]), ("before", after[pos])) if y is not None)
            problems.add(
                path,
                f"row {rows[i]}, column 'year'",
                f"year {ys[pos]} is out of order for option '{opt[i]}', category '{cat[i]}'"
                + (f" (it stands {around})" if around else ""),
                "list the years of one option and category in increasing order, and check for a mistyped year",
            )
    return pd.Series(ok, index=flows.index, dtype=bool)


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of `values`, in O(n log n).

    The first one found: it ends at the earliest position a longest run can end at, and each step back goes to
    the earliest position that can precede it, so one mistyped year in an ordered list is the one left out.
    Patience sorting gives each position's run length; positions of equal length have non-increasing values,
    so the earliest usable predecessor is found by bisection.
    """
    tails: list[int] = []  # tails[k]: smallest last value of an increasing run of length k + 1 so far
    by_length: list[list[int]] = []  # positions whose longest run ending there has length k + 1, in order
    negated: list[list[int]] = []  # -values of those positions (non-decreasing, for bisection)
    prev = [-1] * len(values)
    for j, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            by_length.append([])
            negated.append([])
        else:
            tails[k] = v
        if k:
            prev[j] = by_length[k - 1][bisect.bisect_right(negated[k - 1], -v)]
        by_length[k].append(j)
        negated[k].append(-v)
    out: set[int] = set()
    end = by_length[-1][0] if by_length else -1
    while end != -1:
        out.add(end)
        end = prev[end]
    return out


def _kept_neighbours(values: list[int], keep: set[int]) -> tuple[list[int | None], list[int | None]]:
    """For each position, the value of the nearest kept position before it and after it (None at the ends)."""
    n = len(values)
    before: list[int | None] = [None] * n
    after: list[int | None] = [None] * n
    last: int | None = None
    for p in range(n):
        before[p] = last
        if p in keep:
            last = values[p]
    last = None
    for p in range(n - 1, -1, -1):
        after[p] = last
        if p in keep:
            last = values[p]
    return before, after


def load_cashflows(path: str | Path, options: dict[str, set[str]], unit: str = "NOK") -> pd.DataFrame:
    """Read ``cashflows.csv`` and raise :class:`InputError` with every problem, if any.

    A convenience for notebooks and tests that do not use the case loader; see
    :func:`read_cashflows` for the parameters and the result.
    """
    problems = ProblemList()
    frame = read_cashflows(path, options, problems, unit)
    problems.raise_if_any()
    return frame
