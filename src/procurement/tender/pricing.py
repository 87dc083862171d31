"""Price-to-points and score-to-points rules, vectorised over any number of tender fields.

Every function takes prices (or scores) with the tenderers on the last axis, so one call scores one competition
(shape ``(n,)``) or 100,000 simulated fields at once (shape ``(fields, n)``). A tenderer absent from a field has the
price ``inf`` (and any score): it never sets the lowest price or the best score, and callers mask its points.

The formulas, with ``M`` the criterion's maximum points, ``Pe`` the evaluated price and ``Pb`` the lowest price:

============== ============================================== ======================================================
kind           points                                          depends on other tenders
============== ============================================== ======================================================
linear         M − M·(Pe − Pb)/Pb   (negative allowed)         yes (Pb): relative, the ranking paradox can occur
proportional   M·Pb/Pe                                         yes (Pb): relative
fixed-reference M − s·(Pe − R)/R   (R stated, s = M unless set) no: absolute
interpolation  M·(W − Pe)/(W − B), clipped to 0..M            no: absolute
============== ============================================== ======================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from procurement.tender.models import EvaluationModel, PriceModel, QualityScale, Source

DFO_PRICE_URL = "https://anskaffelser.no/veileder-i-evaluering-av-tilbud/regne-om-pris-til-poeng"

#: Where each price model comes from. ``verified`` means the formula was read in that source.
SOURCES: dict[str, Source] = {
    "linear": Source(
        citation="DFØ, Veileder i evaluering av tilbud, «Regne om pris til poeng»: lineær modell "
        "10 − 10·(Pe − Pb)/Pb; negative points lawful per KOFA 2015/60 (quoted there)",
        url=DFO_PRICE_URL,
        verified=True,
    ),
    "proportional": Source(
        citation="DFØ, Veileder i evaluering av tilbud, «Regne om pris til poeng»: forholdsmessig modell 10·Pb/Pe",
        url=DFO_PRICE_URL,
        verified=True,
    ),
    "fixed-reference": Source(
        citation="Linear model against a reference price stated in the tender documents (budget or estimate) "
        "instead of the lowest tender; a variant of DFØ's linear model, not found as a named model in DFØ's guide",
        url=DFO_PRICE_URL,
        verified=False,
    ),
    "interpolation": Source(
        citation="Interpolation between a best and a worst price stated in the tender documents (absolute scoring); "
        "common practice, no public DFØ text found that names it",
        verified=False,
    ),
}


#: Each price model's formula: M the maximum points, Pe the evaluated price, Pb the lowest price, R the reference
#: price and s the slope, B and W the best and worst prices stated in the tender documents.
FORMULAS: dict[str, str] = {
    "linear": "M − M·(Pe − Pb)/Pb",
    "proportional": "M·Pb/Pe",
    "fixed-reference": "M − s·(Pe − R)/R",
    "interpolation": "min(M, max(0, M·(W − Pe)/(W − B)))",
}

#: Each quality scoring rule's formula: s the consensus score on the scale min..max, best the best consensus score.
QUALITY_FORMULAS: dict[str, str] = {
    "absolute": "M·(s − min)/(max − min)",
    "relative": "M·s/best",
}


def source(model: PriceModel) -> Source:
    """The model's own source if the file gives one, else the workbench's default for its kind."""
    return model.source or SOURCES[model.kind]


def lowest(prices: np.ndarray) -> np.ndarray:
    """Pb per field, kept as a trailing axis of length 1 (``inf`` marks an absent tenderer)."""
    return np.min(prices, axis=-1, keepdims=True)


def price_points(model: PriceModel, prices: np.ndarray, max_points: float = 10.0) -> np.ndarray:
    """Points of every price in ``prices`` (tenderers on the last axis) under ``model``."""
    p = np.asarray(prices, dtype=float)
    m = float(max_points)
    if model.kind == "linear":
        pb = lowest(p)
        points = m - m * (p - pb) / pb
    elif model.kind == "proportional":
        points = m * lowest(p) / p
    elif model.kind == "fixed-reference":
        r = float(model.reference or 0.0)
        slope = m if model.slope is None else float(model.slope)
        points = m - slope * (p - r) / r
    else:  # interpolation
        best, worst = float(model.best or 0.0), float(model.worst or 0.0)
        points = np.clip(m * (worst - p) / (worst - best), 0.0, m)
    if model.floor is not None:
        points = np.maximum(points, float(model.floor))
    return points


def quality_points(scale: QualityScale, scores: np.ndarray, max_points: float = 10.0,
                   present: np.ndarray | None = None) -> np.ndarray:
    """Points of consensus scores (tenderers on the last axis) on ``scale``.

    ``absolute``: the position on the scale, M·(s − min)/(max − min). ``relative``: M·s/best s among the tenderers
    present (all points 0 when the best score is 0).
    """
    s = np.asarray(scores, dtype=float)
    m = float(max_points)
    if scale.scoring == "absolute":
        return m * (s - scale.min) / (scale.max - scale.min)
    here = s if present is None else np.where(present, s, -np.inf)
    best = np.max(here, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(best > 0, m * s / np.where(best > 0, best, 1.0), 0.0)


def is_relative(model: PriceModel) -> bool:
    return model.relative


def criteria_table(model: EvaluationModel) -> pd.DataFrame:
    """The evaluation model, one row per award criterion (index: criterion id): kind, weight (share), priority, the
    scoring rule and its formula, the price model's parameters or the quality scale, and the rule's source."""
    weights = model.weights()
    rows = []
    for c in model.criteria:
        row: dict = {"criterion": c.id, "kind": c.kind, "weight": weights[c.id], "priority": c.priority}
        if c.price_model is not None:
            pm, src = c.price_model, source(c.price_model)
            row |= {"rule": pm.kind, "formula": FORMULAS[pm.kind], "floor": pm.floor, "reference": pm.reference,
                    "slope": pm.slope, "best": pm.best, "worst": pm.worst, "scale_min": None, "scale_max": None,
                    "citation": src.citation, "url": src.url, "verified": src.verified,
                    "source_given": pm.source is not None}
        else:
            assert c.scale is not None
            row |= {"rule": c.scale.scoring, "formula": QUALITY_FORMULAS[c.scale.scoring], "floor": None,
                    "reference": None, "slope": None, "best": None, "worst": None, "scale_min": c.scale.min,
                    "scale_max": c.scale.max, "citation": None, "url": None, "verified": None, "source_given": False}
        rows.append(row)
    return pd.DataFrame(rows).set_index("criterion")
