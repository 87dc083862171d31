"""Reading one competition: ``data/<case>/tenders/<competition>/`` with ``model.yaml``, ``tenders.csv`` and
``evaluations.csv``, each checked in one pass (file, row, what is wrong, what would be right).

``tenders.csv``: ``tenderer`` (an id), ``price`` (the evaluated price, in the model's currency, > 0), optional
``name`` and ``notes``. ``evaluations.csv``: ``evaluator``, ``tenderer``, ``criterion`` (a quality criterion of the
model), ``score`` (on the criterion's scale) and ``justification``. Before opening only ``model.yaml`` exists; the
simulation needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from procurement.case.csvio import Table, check_ids, number_column, read_csv
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.case import filenames
from procurement.case.filenames import name_problem
from procurement.case.ids import id_problem
from procurement.case.models import load_model
from procurement.text.sentences import Assumption
from procurement.tender.assumptions import model_assumptions
from procurement.tender.lifecycle import read_present_values
from procurement.tender.models import EvaluationModel
from procurement.tender.pricing import criteria_table

MODEL_FILE = "model.yaml"
TENDERS_FILE = "tenders.csv"
EVALUATIONS_FILE = "evaluations.csv"
SEAL_FILE = "seal.json"
LIFECYCLE_FILE = "lifecycle.csv"


@dataclass
class Competition:
    """One competition of a case, read and validated."""

    folder: Path
    model: EvaluationModel
    tenders: pd.DataFrame | None = None  # tenderer (index), name, price, notes
    evaluations: pd.DataFrame | None = None  # evaluator, tenderer, criterion, score, justification, row
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def model_path(self) -> Path:
        return self.folder / MODEL_FILE

    @property
    def opened(self) -> bool:
        return self.tenders is not None

    @property
    def assumptions(self) -> list[Assumption]:
        """The evaluation model as sentences (points scale, weights, price rule and source, scales, consensus, ties)."""
        return model_assumptions(self.model)

    def criteria(self) -> pd.DataFrame:
        """The evaluation model, one row per award criterion (:func:`procurement.tender.pricing.criteria_table`)."""
        return criteria_table(self.model)

    def tenderer_names(self) -> dict[str, str]:
        if self.tenders is None:
            return {}
        return {str(t): str(n or t) for t, n in self.tenders["name"].items()}


def competitions(case_dir: str | Path) -> list[str]:
    """The competitions of a case: the folders under ``tenders/`` holding a model.yaml."""
    root = Path(case_dir) / "tenders"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / MODEL_FILE).is_file())


def competition_folder(case_dir: str | Path, competition: str) -> Path:
    wrong = id_problem(competition)
    if wrong is not None:  # a folder name under tenders/, never a path
        raise InputError(Problem("competition", "", f"'{competition}' is not a competition id: {wrong[0]}",
                                 f"give the name of a folder under tenders/, e.g. dialogue-final-round ({wrong[1]})"))
    folder = Path(case_dir) / "tenders" / competition
    if not (folder / MODEL_FILE).is_file():
        raise InputError(
            Problem("competition", "", f"no competition '{competition}' in {display_path(Path(case_dir) / 'tenders')}",
                    did_you_mean(competition, competitions(case_dir)))
        )
    return folder


def competition_id(case_dir: str | Path, given: str | None = None) -> str:
    """``given``, or the case's only competition when none is given."""
    if given:
        return given
    found = competitions(case_dir)
    if len(found) == 1:
        return found[0]
    if found:
        raise InputError(Problem("competition", "", "no competition given", f"name one of: {', '.join(found)}"))
    raise InputError(Problem("competition", "", f"no competitions in {display_path(Path(case_dir) / 'tenders')}",
                             "add tenders/<id>/model.yaml"))


def load_competition(case_dir: str | Path, competition: str, evaluations: str | Path | None = None) -> Competition:
    """Read and check one competition; ``evaluations`` replaces the folder's evaluations.csv (e.g. collected forms)."""
    folder = competition_folder(case_dir, competition)
    return load_folder(folder, evaluations)


def load_folder(folder: str | Path, evaluations: str | Path | None = None) -> Competition:
    folder = Path(folder)
    model = load_model(EvaluationModel, folder / MODEL_FILE)
    if model.id != folder.name:
        raise InputError(Problem(display_path(folder / MODEL_FILE), "key 'id'",
                                 f"'{model.id}' differs from the folder name '{folder.name}'", f"write id: {folder.name}"))
    comp = Competition(folder=folder, model=model)
    problems = ProblemList()
    lcc = folder / LIFECYCLE_FILE
    if (folder / TENDERS_FILE).is_file():
        comp.tenders = _read_tenders(folder / TENDERS_FILE, problems, price_given=not lcc.is_file())
    if lcc.is_file() and comp.tenders is not None:
        pv = read_present_values(lcc, model, list(comp.tenders.index), problems)
        if pv is not None:
            comp.tenders["price"] = pv.to_numpy(dtype=float)
    eval_path = Path(evaluations) if evaluations is not None else folder / EVALUATIONS_FILE
    if eval_path.is_file() and comp.tenders is not None:
        comp.evaluations = read_evaluations(eval_path, model, list(comp.tenders.index), problems)
    elif evaluations is not None:
        problems.add(eval_path, "", "file not found", "give the path of an evaluations.csv")
    problems.raise_if_any()
    return comp


#: Most tenders in one competition (a framework for consultancy may draw a few hundred).
MAX_TENDERERS = 2_000
#: Highest evaluated price (10^15 in any unit; beyond it the points of a relative model lose their precision).
MAX_PRICE = 1e15


def _read_tenders(path: Path, problems: ProblemList, price_given: bool = True) -> pd.DataFrame | None:
    """``tenders.csv``; with a lifecycle.csv the price column is left empty (the present value is the price)."""
    required, optional = (["tenderer", "price"], ["name", "notes"]) if price_given else (["tenderer"], ["name", "notes", "price"])
    table = read_csv(path, required, optional)
    ids = table.frame["tenderer"].tolist()
    if len(ids) > MAX_TENDERERS:
        problems.add(path, "", f"has {len(ids):,} tenders, more than the {MAX_TENDERERS:,} the evaluation reads",
                     "is this the right file? The ranking-paradox check compares every pair of tenders")
        return None
    first: dict[str, int] = {}
    for i, t in enumerate(ids):
        wrong = id_problem(t)
        if wrong is not None:
            problems.add(path, f"{table.where(i)}, column 'tenderer'", f"'{t}' is not a valid id: {wrong[0]}",
                         wrong[1])
        elif first.setdefault(t, i) != i:
            problems.add(path, f"{table.where(i)}, column 'tenderer'", f"'{t}' appears more than once", "one row per tenderer")
    prices = number_column(table, "price", problems) if price_given else _no_prices(table, problems)
    for i, p in enumerate(prices):
        if p is not None and not 0 < p <= MAX_PRICE:
            problems.add(path, f"{table.where(i)}, column 'price'",
                         f"{p:g} is not above zero" if p <= 0 else f"{p:g} is more than {MAX_PRICE:g}",
                         "give the evaluated price, e.g. 1850")
    if len(ids) < 1:
        problems.add(path, "", "no tenders", "one row per tender: tenderer,price,name,notes")
    if problems:
        return None
    frame = pd.DataFrame({"tenderer": ids, "name": table.frame["name"].tolist(), "price": prices,
                          "notes": table.frame["notes"].tolist()})
    return frame.set_index("tenderer")


def _no_prices(table: Table, problems: ProblemList) -> list[float | None]:
    for i, cell in enumerate(table.frame["price"].tolist()):
        if cell:
            problems.add(table.path, f"{table.where(i)}, column 'price'", "a price is given and lifecycle.csv exists",
                         "leave price empty: the evaluated price is the present value of the tenderer's lifecycle.csv rows")
    return [None] * len(table.frame)


def read_evaluations(path: Path, model: EvaluationModel, tenderers: list[str], problems: ProblemList) -> pd.DataFrame | None:
    """Evaluator scores, every cell checked; completeness checked per evaluator."""
    table = read_csv(path, ["evaluator", "tenderer", "criterion", "score"], ["justification"])
    n_before = len(problems)
    quality = {c.id: c for c in model.quality}
    ok_t = check_ids(table, "tenderer", tenderers, problems, "tenderer")
    ok_c = _check_criteria(table, model, problems)
    scores = number_column(table, "score", problems)
    _check_scores(table, scores, [ok_t[i] and ok_c[i] for i in range(len(scores))], quality, problems)
    for i, e in enumerate(table.frame["evaluator"].tolist()):
        if not e:
            problems.add(path, f"{table.where(i)}, column 'evaluator'", "is empty", "give the evaluator's name or id")
        elif (bad := name_problem(e)) is not None:  # the name becomes forms/<evaluator>.xlsx
            problems.add(path, f"{table.where(i)}, column 'evaluator'", bad, filenames.HINT)
    _distinct_evaluators(table, problems)
    if len(problems) > n_before:
        return None
    columns = ["evaluator", "tenderer", "criterion", "score", "justification", "row"]
    frame = table.frame.assign(score=pd.Series(scores, dtype=float).to_numpy(), row=table.lines)[columns]
    _check_complete(table, frame, tenderers, list(quality), problems)
    return frame if len(problems) == n_before else None


def _distinct_evaluators(table: Table, problems: ProblemList) -> None:
    """Two evaluators whose forms would be one file (``Kari`` and ``kari``) are a problem on the second's row."""
    first: dict[str, str] = {}
    for i, e in enumerate(table.frame["evaluator"].tolist()):
        if not e or name_problem(e) is not None:
            continue
        stem = filenames.slug(e)
        if first.setdefault(stem, e) != e:
            problems.add(table.path, f"{table.where(i)}, column 'evaluator'",
                         f"'{e}' and '{first[stem]}' would share the form {stem}.xlsx",
                         "write each evaluator's name the same way on every row")


def _check_criteria(table: Table, model: EvaluationModel, problems: ProblemList) -> list[bool]:
    price = model.price.id
    criteria = table.frame["criterion"].tolist()
    ok = [c != price for c in criteria]
    for i in (i for i, c in enumerate(criteria) if c == price):
        problems.add(table.path, f"{table.where(i)}, column 'criterion'", f"'{price}' is the price criterion",
                     "price points come from tenders.csv; score only the quality criteria")
    rest = [i for i, good in enumerate(ok) if good]  # one pass over the column: a row at a time read it whole each time
    for i, good in zip(rest, check_ids(table, "criterion", [q.id for q in model.quality], problems, "quality criterion",
                                       rows=rest), strict=True):
        ok[i] = good
    return ok


def _check_scores(table: Table, scores: list[float | None], ok: list[bool], quality: dict, problems: ProblemList) -> None:
    criteria = table.frame["criterion"].tolist()
    for i, s in enumerate(scores):
        if s is None or not ok[i]:
            continue
        crit = quality[criteria[i]]
        lo, hi = crit.scale.min, crit.scale.max
        if not lo <= s <= hi:
            problems.add(table.path, f"{table.where(i)}, column 'score'", f"{s:g} is outside the scale of '{crit.id}'",
                         f"give a score from {lo:g} to {hi:g}")


def _check_complete(table: Table, frame: pd.DataFrame, tenderers: list[str], quality: list[str], problems: ProblemList) -> None:
    key = frame[["evaluator", "tenderer", "criterion"]].apply(tuple, axis=1)
    seen: dict[tuple, int] = {}
    for i, k in enumerate(key):
        if k in seen:
            problems.add(table.path, table.where(i), f"evaluator '{k[0]}' scores '{k[1]}' on '{k[2]}' twice "
                         f"(first on row {seen[k]})", "keep one row per evaluator, tenderer and criterion")
        else:
            seen[k] = table.lines[i]
    for evaluator in sorted(set(frame["evaluator"])):
        for t in tenderers:
            for c in quality:
                if (evaluator, t, c) not in seen:
                    problems.add(table.path, f"evaluator '{evaluator}'", f"no score for tenderer '{t}' on '{c}'",
                                 "every evaluator scores every tenderer on every quality criterion")
