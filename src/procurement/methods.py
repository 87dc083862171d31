"""The ranking methods the workbench offers, each a scikit-criteria pipeline.

Every method is reachable by a short name. Each entry states the
preprocessing its method paper calls for, so that the documentation's methods
table and the code cannot drift apart. All pipelines use the current
scikit-criteria modules (``skcriteria.agg.topsis``, ``skcriteria.pipelines``)
so no deprecation warning reaches a user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from skcriteria.agg.simple import WeightedProductModel, WeightedSumModel
from skcriteria.agg.topsis import TOPSIS
from skcriteria.pipelines import mkpipe
from skcriteria.preprocessing.increment import AddValueToZero
from skcriteria.preprocessing.invert_objectives import InvertMinimize, MinMaxInverter, NegateMinimize
from skcriteria.preprocessing.scalers import SumScaler, VectorScaler


@dataclass(frozen=True)
class Method:
    name: str
    label: str
    build: Callable[[], object]
    preprocessing: str
    reference: str
    higher_is_better: bool = True  # direction of the score the method reports


def _wsm():
    return mkpipe(MinMaxInverter(), SumScaler(target="weights"), WeightedSumModel())


def _wpm():
    return mkpipe(AddValueToZero(target="matrix", value=1.0), InvertMinimize(), SumScaler(target="weights"), WeightedProductModel())


def _topsis():
    return mkpipe(NegateMinimize(), VectorScaler(target="matrix"), SumScaler(target="weights"), TOPSIS())


METHODS: dict[str, Method] = {
    "wsm": Method(
        "wsm",
        "Weighted sum (additive value)",
        _wsm,
        "min-max scaling of every criterion to [0, 1] over the options, minimised criteria reversed "
        "((max − x)/(max − min)); weights scaled to sum 1",
        "Fishburn, P. C. (1967). Additive utilities with incomplete product sets. Operations Research 15(3).",
    ),
    "wpm": Method(
        "wpm",
        "Weighted product",
        _wpm,
        "a criterion column holding a zero is shifted by +1 (the product needs positive values); minimised "
        "criteria inverted (1/x); weights scaled to sum 1; scores are Σ w·log10(x)",
        "Bridgman, P. W. (1922). Dimensional Analysis; Miller, D. W. & Starr, M. K. (1969). Executive Decisions "
        "and Operations Research. Prentice-Hall.",
    ),
    "topsis": Method(
        "topsis",
        "TOPSIS",
        _topsis,
        "minimised criteria negated (so the ideal takes their lowest value, as in the paper), then vector "
        "(Euclidean) normalisation of each criterion; weights scaled to sum 1; Euclidean distance",
        "Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making. Springer.",
    ),
}


def get_method(name: str) -> Method:
    from .errors import InputError, Problem, did_you_mean

    if name not in METHODS:
        raise InputError(Problem("", "method", f"unknown method '{name}'", did_you_mean(name, METHODS)))
    return METHODS[name]
