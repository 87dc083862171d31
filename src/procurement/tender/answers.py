"""What the public API answers about the competitions of a case (``pw.evaluate_tender``, ``pw.simulate_tender``, ...).

Every function takes the case (a folder, or a loaded case with a ``path``) and a competition id; the id may be left
out when the case has one competition. A question about tenders needs no scenario and no loaded case (no criteria,
scores or cost-benefit files are read), which keeps ``procurement tender`` quick to start::

    import procurement as pw

    result = pw.evaluate_tender("data/national-municipal-solution", "dialogue-final-round")
    result.winner, result.to_frame(), result.describe("en")
    pw.simulate_tender("data/national-municipal-solution").to_frame()
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procurement.case.errors import InputError, Problem, display_path
from procurement.tender import competition as _competition
from procurement.tender import seal as _seal
from procurement.tender.competition import EVALUATIONS_FILE, Competition
from procurement.tender.models import MAX_FIELDS
from procurement.tender.paradox import TenderSimulation, simulate
from procurement.tender.result import TenderResult, evaluate_competition


def _case_dir(case: Any) -> Path:
    return Path(getattr(case, "path", case))


def tender_competitions(case: Any) -> list[str]:
    """The ids of the case's competitions (the folders under ``tenders/`` with a ``model.yaml``)."""
    return _competition.competitions(_case_dir(case))


def load_competition(case: Any, competition: str | None = None, evaluations: str | Path | None = None) -> Competition:
    """One competition, read and checked; ``evaluations`` replaces its evaluations.csv."""
    folder = _case_dir(case)
    return _competition.load_competition(folder, _competition.competition_id(folder, competition), evaluations)


def evaluate_tender(case: Any, competition: str | None = None, *, allow_changed_model: bool = False) -> TenderResult:
    """The evaluation of an opened competition: points, totals, ranks, margins, ties, what it would take to win, the
    ranking-paradox check and the seal state. A model changed since its seal is refused (an InputError naming each
    change) unless ``allow_changed_model``."""
    return evaluate_competition(load_competition(case, competition), allow_changed_model)


def simulate_tender(case: Any, competition: str | None = None, *, fields: int | None = None,
                    seed: int | None = None) -> TenderSimulation:
    """The pre-opening simulation of the model's candidate price models; ``fields`` and ``seed`` replace the model's."""
    if fields is not None and not 1 <= fields <= MAX_FIELDS:
        raise InputError(Problem("--fields", "", f"{fields:,} is not a number of fields the simulation runs",
                                 f"give 1 to {MAX_FIELDS:,}, e.g. 20000"))
    if seed is not None and seed < 0:
        raise InputError(Problem("seed", "", f"{seed} is below zero", "give a seed of 0 or more"))
    comp = load_competition(case, competition)
    sim = comp.model.simulation
    if sim is not None:
        sim = sim.model_copy(update={k: v for k, v in (("fields", fields), ("seed", seed)) if v is not None})
    return simulate(comp.model, sim)


def tender_seal_status(case: Any, competition: str | None = None) -> _seal.SealStatus:
    """Whether the competition's model is sealed, and what changed since (``describe(language)`` says it)."""
    return _seal.status(load_competition(case, competition))


def seal_tender(case: Any, competition: str | None = None, *, force: bool = False) -> Path:
    """Write the competition's ``seal.json`` (refused once tenders are in, unless ``force``); its path."""
    return _seal.seal(load_competition(case, competition), force=force)


def write_tender_forms(case: Any, competition: str | None = None, *, evaluators: list[str] | None = None,
                       out: str | Path | None = None, language: str = "nb") -> list[Path]:
    """One Excel form per evaluator (default: those of evaluations.csv) in ``out`` (default the competition's forms/)."""
    # lazy: openpyxl costs about 0.15 s at import; only the forms need it
    from procurement.tender.forms import write_forms

    comp = load_competition(case, competition)
    source: str | Path = "--evaluators"
    if not evaluators:
        if comp.evaluations is None:
            raise InputError(Problem("evaluators", "", "no evaluators given and no evaluations.csv",
                                     "name the evaluators, e.g. anne,bjorn"))
        evaluators = sorted(set(comp.evaluations["evaluator"]))
        source = comp.folder / EVALUATIONS_FILE
    return write_forms(comp, evaluators, Path(out) if out else _forms_folder(comp), language, source)


def _forms_folder(comp: Any) -> Path:
    """The competition's forms/ folder, refused when it leads out of the competition (a link sent with the case)."""
    folder = comp.folder / "forms"
    if not folder.resolve().is_relative_to(comp.folder.resolve()):
        raise InputError(Problem(display_path(folder), "", f"leads outside the competition, to {folder.resolve()}",
                                 "remove the link, or give --out DIR"))
    return folder


def collect_tender_forms(case: Any, competition: str | None = None, *, forms: str | Path | None = None) -> Path:
    """Read the filled forms (default the competition's forms/) and write evaluations.csv; its path."""
    # lazy: openpyxl costs about 0.15 s at import; only the forms need it
    from procurement.tender.forms import collect

    comp = load_competition(case, competition)
    return collect(comp, Path(forms) if forms else comp.folder / "forms")
