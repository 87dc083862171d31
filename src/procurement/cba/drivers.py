"""What moves a difference: the assumptions that change an option's ΔNPV by more than a share of it.

Every ΔNPV is a difference between two options' NPVs, and every NPV is linear in the cash-flow amounts
(:mod:`procurement.cba.model`). Moving one group of three-point estimates (one option's category, all its
years together, as the simulation draws them) from the point estimate to its low or its high value, the
others kept, changes the NPV of that option by an exact amount, and so the ΔNPV of that option against the
reference (or, for the reference's own groups, every option's ΔNPV, the other way). :func:`difference_drivers`
lists each group whose low or high moves an option's ΔNPV by more than ``threshold`` (10 % by default) of it,
with the sources the cash-flow rows give and whether they call themselves illustrative, so a report names every
assumption that decides a difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.cashflows import UNITS
from procurement.cba.model import LINEAR_MEASURES, build_model
from procurement.cba.npv import point_amounts
from procurement.cba.parameters import CbaParameters
from procurement.text.sentences import Assumption, describe

#: Default share of |ΔNPV| a group must move it by to be listed.
THRESHOLD = 0.10
#: Words in a source that mark the figure as a judgement of the case, not a published one.
ILLUSTRATIVE = ("illustrative", "illustrativ")


@dataclass
class Drivers:
    """The assumptions that move each option's ΔNPV by more than ``threshold`` of it (amounts in ``unit``).

    ``table``: ``option`` (whose ΔNPV moves), ``driver`` (the option whose estimates move), ``category``,
    ``incremental_npv``, ``at_low``, ``at_high`` (the change of ΔNPV with the group at its low or high value),
    ``share`` (the larger change over |ΔNPV|), ``source`` (the cash-flow rows' sources, distinct, joined with " | "),
    ``illustrative`` (every source says so); largest share first within each option.
    """

    reference: str
    threshold: float
    unit: str
    table: pd.DataFrame
    notes: list[Assumption] = field(default_factory=list)

    def in_unit(self, unit: str) -> Drivers:
        if unit == self.unit:
            return self
        t = self.table.copy()
        for c in ("incremental_npv", "at_low", "at_high"):
            t[c] = t[c] * UNITS[self.unit] / UNITS[unit]
        return Drivers(self.reference, self.threshold, unit, t, list(self.notes))

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    @property
    def assumptions(self) -> list[Assumption]:
        return [Assumption("cba.drivers", {"threshold": self.threshold, "reference": self.reference}), *self.notes]

    def describe(self, language: str = "nb") -> list[str]:
        return describe(self.assumptions, language)

    def to_dict(self) -> dict[str, Any]:
        def clean(v: Any) -> Any:
            if isinstance(v, (float, np.floating)):
                return float(v) if np.isfinite(v) else None
            if isinstance(v, np.bool_):
                return bool(v)
            return v

        return {"reference": self.reference, "threshold": self.threshold, "unit": self.unit,
                "drivers": [{k: clean(v) for k, v in r.items()} for r in self.table.to_dict(orient="records")],
                "assumptions": [a.to_dict() for a in self.assumptions]}


def _sources(rows: pd.DataFrame) -> tuple[str, bool]:
    if "source" not in rows.columns:
        return "", False
    texts = [str(s).strip() for s in dict.fromkeys(rows["source"].astype(str)) if str(s).strip()]
    return " | ".join(texts), bool(texts) and all(any(w in t.lower() for w in ILLUSTRATIVE) for t in texts)


def difference_drivers(
    flows: pd.DataFrame,
    options: Sequence[str],
    base_year: int,
    params: CbaParameters,
    reference: str,
    threshold: float = THRESHOLD,
    decision: str | None = None,
) -> Drivers:
    """Each (option, category) group of estimates whose low or high moves some option's ΔNPV against `reference` by
    more than `threshold` of |ΔNPV| (amounts in NOK). Exact: the NPV is linear in the amounts."""
    model = build_model(flows, options, base_year, params, decision)
    w = model.weights[:, LINEAR_MEASURES.index("npv")]
    rows = model.rows
    point = point_amounts(rows, params)
    low, high = rows["low"].to_numpy(dtype=float), rows["high"].to_numpy(dtype=float)
    npv = pd.Series(np.bincount(model.option_index, weights=point * w, minlength=len(model.options)), index=model.options)
    delta = npv - npv[reference]
    out = []
    for (driver, category), g in rows.groupby(["option", "category"], sort=True):
        i = g.index.to_numpy()
        d_low, d_high = float(((low[i] - point[i]) * w[i]).sum()), float(((high[i] - point[i]) * w[i]).sum())
        source, illustrative = _sources(g)
        targets = [o for o in model.given if o != reference] if driver == reference else [str(driver)]
        sign = -1.0 if driver == reference else 1.0
        for o in targets:
            if o == reference:
                continue
            base = float(delta[o])
            share = max(abs(d_low), abs(d_high)) / abs(base) if base else np.inf
            if share > threshold:
                out.append({"option": o, "driver": str(driver), "category": str(category), "incremental_npv": base,
                            "at_low": sign * d_low, "at_high": sign * d_high, "share": share, "source": source,
                            "illustrative": illustrative})
    cols = ["option", "driver", "category", "incremental_npv", "at_low", "at_high", "share", "source", "illustrative"]
    table = pd.DataFrame(out, columns=cols)
    if len(table):
        order = {o: k for k, o in enumerate(model.given)}
        table = table.assign(_o=table["option"].map(order)).sort_values(["_o", "share"], ascending=[True, False],
                                                                         kind="stable").drop(columns="_o")
    return Drivers(reference, threshold, "NOK", table.reset_index(drop=True))


__all__ = ["ILLUSTRATIVE", "THRESHOLD", "Drivers", "difference_drivers"]
