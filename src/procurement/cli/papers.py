"""`procurement papers [SCENARIO.yaml] [--municipalities IDS|all] [--out DIR] [--scheduler ADDRESS]`: a decision
paper for every participating municipality, rendered on a Dask cluster.

Runs ``notebooks/09-municipality.ipynb`` once per municipality of the national solution (``municipalities.csv``,
``in_national_solution``) and writes ``<kommunenummer>.html`` (``--pdf``: also ``.pdf``) per paper, ``index.html``,
``key-figures.csv`` and ``key-figures.xlsx`` into the output folder (default
``reports/papers/<case>-<scenario>/``), and ``failed.csv`` when a paper failed. Papers are in nynorsk for
municipalities whose written standard is nynorsk. By default a Dask ``LocalCluster`` of one worker process per
core renders them (``--workers N``); ``--scheduler ADDRESS`` or ``DASK_SCHEDULER_ADDRESS`` uses a running cluster,
whose workers need the package but no shared folder (see :mod:`procurement.report.papers`).

A rerun into the same folder renders only the papers whose inputs changed (or that failed). Prints the path of
``index.html`` on standard output.

Exit status: 0 every paper written, 1 a paper failed (the others are written; ``failed.csv`` names it), 2 bad
input (nothing rendered, nothing written), 130 stopped by Ctrl-C or SIGTERM (finished papers kept, the rest
cancelled).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import procurement as pw
from procurement import InputError, Problem, __version__, did_you_mean
from procurement.report import papers as batch_mod
from procurement.report import workers
from procurement.report.plan import DEFAULT_SCENARIO, prepare
from procurement.report.project import PAPER_NOTEBOOK
from procurement.report.runner import DEFAULT_TIMEOUT, check_output_dir


def register(sub) -> None:
    p = sub.add_parser(
        "papers",
        help="write a decision paper for every participating municipality (papermill on a Dask cluster)",
        description="Render notebooks/09-municipality.ipynb for each municipality of the national solution and write "
        "one HTML paper each (nynorsk for nynorsk municipalities), an index page and the key figures as CSV and Excel.",
    )
    p.add_argument("scenario", metavar="SCENARIO.yaml", nargs="?", default=None,
                   help=f"scenario file (default {DEFAULT_SCENARIO})")
    p.add_argument("--municipalities", default="all", metavar="IDS",
                   help="kommunenummer, comma-separated (e.g. 4601,4640), or 'all' (default: every participating one)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="output folder (default reports/papers/<case>-<scenario>/); a rerun skips unchanged papers")
    p.add_argument("--scheduler", default=os.environ.get("DASK_SCHEDULER_ADDRESS") or None, metavar="ADDRESS",
                   help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: DASK_SCHEDULER_ADDRESS, else "
                   "a local cluster)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--pdf", action="store_true", help="also print each paper to PDF (headless Chromium)")
    p.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="S",
                   help=f"seconds one cell may run (default {DEFAULT_TIMEOUT})")
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show a progress bar")
    bar.add_argument("--no-progress", dest="progress", action="store_false",
                     help="never show a progress bar (default: only on a terminal)")
    p.set_defaults(func=run)


def _check_numbers(args) -> None:
    if args.workers is not None and args.workers < 1:
        raise InputError(Problem("--workers", "", f"{args.workers} is not a number of processes", "use 1 or more"))
    if args.timeout < 1:
        raise InputError(Problem("--timeout", "", f"{args.timeout} is not a number of seconds", "use 1 or more"))


def choose(members: dict[str, str], everyone: dict[str, str], given: str, file: str) -> dict[str, str]:
    """The municipalities `given` names (kommunenummer, comma-separated, or 'all'), checked against the case."""
    if given.strip().lower() == "all":
        return members
    problems = []
    chosen: dict[str, str] = {}
    for kn in (x.strip() for x in given.split(",") if x.strip()):
        if kn in members:
            chosen[kn] = members[kn]
        elif kn in everyone:
            problems.append(Problem("--municipalities", kn, f"{everyone[kn]} is not in the national solution ({file}: "
                                    "in_national_solution is false)", "choose a participating municipality"))
        else:
            problems.append(Problem("--municipalities", kn, f"no municipality {kn} in {file}",
                                    did_you_mean(kn, list(members))))
    if not chosen and not problems:
        problems.append(Problem("--municipalities", "", "names no municipality", "e.g. 4601,4640 or all"))
    if problems:
        raise InputError(problems)
    return chosen


def _batch(args) -> batch_mod.Batch:
    plan = prepare(args.scenario or DEFAULT_SCENARIO, [PAPER_NOTEBOOK])
    case = pw.load_case(plan.case_dir)
    analysis = pw.Analysis(case, pw.read_scenario(plan.scenario_file))
    everyone = analysis.municipalities()
    members = everyone[everyone["in_national_solution"]]
    file = str(everyone.attrs.get("path", "municipalities.csv"))
    chosen = choose(dict(members["name"]), dict(everyone["name"]), args.municipalities, file)
    _needs(analysis, next(iter(chosen)), plan.case_dir)  # a bad or missing file stops here, nothing written
    out = Path(args.out) if args.out else Path("reports") / "papers" / f"{plan.case_dir.name}-{plan.name}"
    out = check_output_dir(out)
    criteria = Path(case.criteria_dir)
    bundle = batch_mod.Bundle.of(plan.case_dir, criteria, plan.notebooks[0])
    params = plan.notebook_parameters(plan.notebooks[0])
    params["case"] = bundle.case
    return batch_mod.Batch(bundle=bundle, parameters=params, municipalities=chosen, out=out, scenario=plan.name,
                           language=analysis.language, case_title=case.meta.title.get(analysis.language),
                           pdf=args.pdf, timeout=args.timeout, footer=f"procurement {__version__} · {plan.name}")


def _needs(analysis, first: str, case_dir: Path) -> None:
    """What every paper reads, checked once: the budget view (financing.yaml), a 0-alternative, the uptake model."""
    if analysis.municipality(first).zero is None:
        raise InputError(Problem(str(case_dir / "options.csv"), f"decision {analysis.decision.id}",
                                 "has no 0-alternative (option 'zero')",
                                 "a paper compares joining with staying outside: add the 0-alternative"))
    analysis.uptake()


def run(args) -> int:
    _check_numbers(args)
    batch = _batch(args)
    papers = batch_mod.read_manifest(batch.out)
    todo, unchanged, keys = batch_mod.plan_todo(batch, papers)
    papers = {kn: papers[kn] for kn in batch.municipalities if kn in papers}
    result = batch_mod.PapersResult(batch.out, unchanged=unchanged)
    workers.interrupt_on_sigterm()
    if todo:
        _render(args, batch, todo, papers, keys, result)
    batch_mod.finish(batch.out, papers, result.failed, batch.municipalities, batch.language, batch.case_title,
                     batch.scenario)
    return _report(batch, result)


def _render(args, batch, todo, papers, keys, result) -> None:
    client, cluster = batch_mod.start_client(args.scheduler, args.workers or batch_mod.default_workers())
    futures: dict = {}
    try:
        result.dashboard = _dashboard(client)
        if result.dashboard:
            print(f"dask dashboard: {result.dashboard}", file=sys.stderr)
        result.workers = len(client.scheduler_info().get("workers", {}))
        bar = _bar(args, len(todo))
        futures = batch_mod.submit(client, batch, todo)

        def done(_kn: str, ok: bool) -> None:
            bar.set_postfix(failed=len(result.failed), left=bar.total - bar.n - 1, refresh=False)
            bar.update(1)

        batch_mod.collect(futures, batch, papers, result, keys, done)
        bar.close()
    except KeyboardInterrupt:
        result.interrupted = True
        batch_mod.cancel(client, futures, result)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _dashboard(client) -> str | None:
    try:
        return client.dashboard_link if client.scheduler_info().get("services", {}).get("dashboard") else None
    except Exception:  # noqa: BLE001 - no dashboard is not an error
        return None


def _bar(args, total: int):
    from tqdm.auto import tqdm  # lazy: tqdm.auto pulls in ipywidgets' detection; only a batch shows a bar

    disable = not sys.stderr.isatty() if args.progress is None else not args.progress
    return tqdm(total=total, desc="papers", unit="paper", disable=disable, file=sys.stderr)


def _report(batch, result) -> int:
    for kn in sorted(result.failed):
        print(f"error: {kn} {batch.municipalities.get(kn, '')}: {result.failed[kn]}", file=sys.stderr)
    print(f"papers: {len(result.rendered)} rendered, {len(result.unchanged)} unchanged, {len(result.failed)} failed"
          + (f", {len(result.cancelled)} cancelled" if result.cancelled else "") + f": {batch.out}", file=sys.stderr)
    print(batch.out / batch_mod.INDEX)
    if result.interrupted:
        return 130
    return 1 if result.failed else 0
