"""Benchmark: cost linear in the size of a case: `tender` with 1,000 tenderers, `cba` with 50 options, `sensitivity`
on 200 options × 60 criteria (issue 26).

Run::

    .venv/bin/python benchmarks/scale.py                  # all three, with their references
    .venv/bin/python benchmarks/scale.py --tenderers 1000 --options 50 --check
    .venv/bin/python benchmarks/scale.py --only sensitivity --check

Cases: copies of the example case in a temporary folder.

* ``tender``: the dialogue competition with ``--tenderers`` tenders (seeded prices 1,200-2,800 and whole scores 3-9
  from three evaluators on the four quality criteria; the sealed model unchanged). Timed: ``procurement tender CASE``
  in process (reading, evaluation, what it would take, the ranking-paradox check and the printed report), best of
  ``--repeat`` after one warm-up run (the imports are not timed). Also timed at half the size: the growth exponent
  log(t(n) / t(n/2)) / log 2 is about 1 for a linear cost and 2 for a quadratic one. Reference, in the same run:
  the direct search that was used before (each losing tenderer's price to win by bisection over the totals of the
  whole field, one tenderer at a time) on ``--reference`` tenderers, and extrapolated to ``--tenderers`` with its n²
  growth (n losers, each trial over n tenders).
* ``cba``: the contract strategy with ``--options`` options (copies of the dialogue option with amounts 0.1 % apart,
  and their scores, effects, risks and enforcement rows). Timed: ``procurement cba CASE --scenario default`` (10,000
  samples) in process, best of ``--repeat`` after a warm-up; also at half the size (the growth exponent) and, as the
  reference, the example case itself (8 options) in the same run.
* ``sensitivity``: the contract strategy with ``--sens-options`` options and ``--sens-criteria`` criteria
  (:func:`with_options_and_criteria`: the options above with their ordinal scores drawn again, and copies of the
  ordinal criteria with drawn scores). Timed: ``procurement sensitivity CASE --decision contract-strategy --samples
  2000 --format json`` (SMAA-2 with its confidence pass, the exact weight intervals, what would it take, the
  tornado) in a child process, once: its wall time from the start of the command (the imports and the case's
  cost-benefit simulation, which gives the cost criterion, included) and its peak resident set size. Also at half
  the options and half the criteria (a quarter of the scores): the growth exponent log(t(n) / t(n/4)) / log 4 in
  the number of scores is about 1 for a cost linear in them. Reference, in the same run: the example case (8 options
  × 13 criteria) with the same samples.

Targets (the 2-core machine, shared): ``tender`` with 1,000 tenderers at most 2.0 s, ``cba`` with 50 options at
most 2.0 s, ``sensitivity`` on 200 × 60 with 2,000 samples at most 30 s and 2 GB peak resident memory (before issue
26: 3 min 47 s and 9.08 GB). ``--check`` makes the exit code 1 when one is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import math
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from procurement.cli import main as cli
from procurement.tender import evaluate, load_competition
from procurement.tender.evaluate import prices_to_win, totals

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "national-municipal-solution"
COMPETITION = "dialogue-final-round"
TEMPLATE = "dialogue-total"
TARGET_S = 2.0
SENS_TARGET_S = 30.0
SENS_TARGET_BYTES = 2 * 10**9
#: The child that runs one command line and reports its wall seconds and peak resident set size (bytes; Linux gives
#: ru_maxrss in kB).
CHILD = """
import contextlib, io, json, resource, sys, time
t0 = time.perf_counter()
from procurement.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "seconds": time.perf_counter() - t0,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def copy_example(folder: Path) -> Path:
    case = folder / "data" / "nms"
    shutil.copytree(EXAMPLE, case)
    shutil.copytree(ROOT / "criteria", folder / "criteria")
    return case


def with_tenderers(folder: Path, n: int) -> Path:
    case = copy_example(folder)
    rng = random.Random(26)
    tenders, scores = ["tenderer,name,price"], ["evaluator,tenderer,criterion,score,justification"]
    for i in range(n):
        t = f"supplier-{i:04d}"
        tenders.append(f"{t},Supplier {i},{rng.uniform(1200, 2800):.1f}")
        scores += [f"{e},{t},{c},{rng.randint(3, 9)},ok" for e in ("ingrid", "lars", "sofie")
                   for c in ("usability", "functionality", "implementation", "risk")]
    comp = case / "tenders" / COMPETITION
    (comp / "tenders.csv").write_text("\n".join(tenders) + "\n", encoding="utf-8")
    (comp / "evaluations.csv").write_text("\n".join(scores) + "\n", encoding="utf-8")
    return case


def _rows(path: Path) -> tuple[str, list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    return text, list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def with_options(folder: Path, n: int) -> Path:
    """The example case with copies of the dialogue option until the contract strategy has `n` options."""
    case = copy_example(folder)
    _, options = _rows(case / "options.csv")
    extra = n - sum(1 for r in options if r["decision"] == "contract-strategy")
    for name, column in (("options.csv", "id"), ("scores.csv", "option"), ("cashflows.csv", "option"),
                         ("effects.csv", "option"), ("risks.csv", "option"), ("enforcement.csv", "option")):
        text, rows = _rows(case / name)
        mine = [r for r in rows if r["decision"] == "contract-strategy" and r[column] == TEMPLATE]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        for k in range(extra):
            for r in mine:
                r = dict(r, **{column: f"{TEMPLATE}-{k + 2}"})
                if name == "options.csv":
                    r["name_nb"] = r["name_en"] = f"{r['name_en']} {k + 2}"
                if name == "cashflows.csv":
                    for c in ("low", "likely", "high"):
                        r[c] = repr(float(r[c]) * (1 + 0.001 * (k + 1)))
                writer.writerow(r)
        (case / name).write_text(text.rstrip("\n") + "\n" + out.getvalue(), encoding="utf-8")
    return case


def with_options_and_criteria(folder: Path, options: int, criteria: int, seed: int = 26) -> Path:
    """The example case with `options` options and `criteria` criteria in the contract strategy.

    The options are :func:`with_options`'s copies of the dialogue option (cash flows 0.1 % apart, so the cost criterion
    taken from the cost-benefit analysis differs); their ordinal scores are drawn again (seeded: whole likely values
    on the criterion's scale, low and high 0-2 below and above). The extra criteria are copies of the ordinal
    criteria (ids ``<id>-x<k>``, same weight, scale and group; each stakeholder profile weighs them as it weighs the
    original), with drawn scores for every option.
    """
    case = with_options(folder, options)
    rng = random.Random(seed)
    path = folder / "criteria" / "contract-strategy.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    ordinal = [c for c in spec["criteria"] if c["scale"]["kind"] == "ordinal" and not c.get("from_cba")]
    extra = []
    for k in range(criteria - len(spec["criteria"])):
        c = ordinal[k % len(ordinal)]
        extra.append(dict(c, id=f"{c['id']}-x{k + 2}",
                          label={lang: f"{text} {k + 2}" for lang, text in c["label"].items()}))
    spec["criteria"] += extra
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    scale = {c["id"]: (c["scale"]["min"], c["scale"]["max"]) for c in spec["criteria"] if c["scale"]["kind"] == "ordinal"}

    def three(cid: str) -> tuple[int, int, int]:
        lo, hi = scale[cid]
        likely = rng.randint(lo, hi)
        return max(lo, likely - rng.randint(0, 2)), likely, min(hi, likely + rng.randint(0, 2))

    text, rows = _rows(case / "scores.csv")
    mine = [r for r in rows if r["decision"] == "contract-strategy"]
    for r in mine:
        if r["option"].startswith(f"{TEMPLATE}-") and r["criterion"] in scale:
            r["low"], r["likely"], r["high"] = three(r["criterion"])
    ids = list(dict.fromkeys(r["option"] for r in mine))
    for c in extra:
        for o in ids:
            lo, li, hi = three(c["id"])
            mine.append({"decision": "contract-strategy", "option": o, "criterion": c["id"], "low": lo, "likely": li,
                         "high": hi, "rationale": "generated", "source": "foa"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows([r for r in rows if r["decision"] != "contract-strategy"] + mine)
    (case / "scores.csv").write_text(out.getvalue(), encoding="utf-8")
    text, rows = _rows(case / "profiles.csv")
    origin = {c["id"]: c["id"].rsplit("-x", 1)[0] for c in extra}
    added = [dict(r, criterion=new) for new, old in origin.items() for r in rows
             if r["decision"] == "contract-strategy" and r["criterion"] == old]
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n").writerows(added)
    (case / "profiles.csv").write_text(text.rstrip("\n") + "\n" + out.getvalue(), encoding="utf-8")
    timeline = yaml.safe_load((case / "timeline.yaml").read_text(encoding="utf-8"))
    timeline["options"].update({o: timeline["options"][TEMPLATE] for o in ids if o.startswith(f"{TEMPLATE}-")})
    (case / "timeline.yaml").write_text(yaml.safe_dump(timeline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (case / "ahp-contract-strategy.yaml").unlink()  # its pairwise comparisons name the original criteria only
    return case


def timed(argv: list[str], repeat: int) -> float:
    """Best wall seconds of the command line in process, after one warm-up run."""
    best = math.inf
    for i in range(repeat + 1):
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli(argv)
        if code != 0:
            raise SystemExit(f"{' '.join(argv)} ended with {code}")
        if i:
            best = min(best, time.perf_counter() - t)
    return best


def direct_prices_to_win(ev) -> tuple[list[float | None], float]:
    """The search used before: per losing tenderer, a bisection whose every trial computes the whole field."""
    prices, quality = ev.prices(), ev.quality_scores()
    t0 = time.perf_counter()
    out: list[float | None] = []
    losers = [ev.tenderers.index(t) for t, r in zip(ev.table["tenderer"], ev.table["rank"], strict=True) if r != 1]
    for who in losers:
        def lead(p: float, who: int = who) -> float:
            q = prices.copy()
            q[who] = p
            t = totals(ev.model, q, quality)
            return float(t[who] - np.max(np.delete(t, who)))

        hi = prices[who]
        lo = hi * 1e-6
        if lead(lo) <= 0:
            out.append(None)
            continue
        if lead(hi) >= 0:
            out.append(float(hi))
            continue
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if lead(mid) > 0 else (lo, mid)
            if hi - lo <= 1e-12 * prices[who]:
                break
        out.append(0.5 * (lo + hi))
    return out, time.perf_counter() - t0


def bench_tender(n: int, reference: int, repeat: int, tmp: Path) -> bool:
    big = with_tenderers(tmp / f"t{n}", n)
    half = with_tenderers(tmp / f"t{n // 2}", n // 2)
    t_n, t_half = timed(["tender", str(big)], repeat), timed(["tender", str(half)], repeat)
    ev = evaluate(load_competition(with_tenderers(tmp / f"r{reference}", reference), COMPETITION))
    direct, direct_s = direct_prices_to_win(ev)
    losers = [ev.tenderers.index(t) for t, r in zip(ev.table["tenderer"], ev.table["rank"], strict=True) if r != 1]
    t0 = time.perf_counter()
    fast = prices_to_win(ev, losers)
    fast_s = time.perf_counter() - t0
    same = all((a is None and b is None) or (a is not None and b is not None and abs(a - b) <= 1e-9 * abs(b))
               for a, b in zip(fast, direct, strict=True))
    print(f"tender, {n:,} tenderers: {t_n:.3f} s (best of {repeat}); {n // 2:,} tenderers: {t_half:.3f} s; "
          f"growth exponent {math.log(t_n / t_half, 2):.2f}")
    print(f"  reference on {reference:,} tenderers, price to win of {len(losers):,} losers: direct search {direct_s:.3f} s, "
          f"over the candidates {fast_s:.3f} s ({direct_s / fast_s:.0f}x), same prices: {'yes' if same else 'NO'}; "
          f"the direct search extrapolated to {n:,} tenderers (n^2): {direct_s * (n / reference) ** 2:.0f} s")
    ok = t_n <= TARGET_S and same
    print(f"  target: {n:,} tenderers <= {TARGET_S} s: {'met' if t_n <= TARGET_S else 'MISSED'}")
    return ok


def bench_cba(n: int, repeat: int, tmp: Path) -> bool:
    big, half = with_options(tmp / f"o{n}", n), with_options(tmp / f"o{n // 2}", n // 2)
    args = ["--scenario", "default"]
    t_n, t_half = timed(["cba", str(big), *args], repeat), timed(["cba", str(half), *args], repeat)
    t_ref = timed(["cba", str(EXAMPLE), *args], repeat)
    print(f"cba, {n} options, 10,000 samples: {t_n:.3f} s (best of {repeat}); {n // 2} options: {t_half:.3f} s; "
          f"growth exponent {math.log(t_n / t_half, 2):.2f}")
    print(f"  reference, the example case (8 options) in the same run: {t_ref:.3f} s; per option beyond it: "
          f"{(t_n - t_ref) / (n - 8) * 1000:.1f} ms")
    print(f"  target: {n} options <= {TARGET_S} s: {'met' if t_n <= TARGET_S else 'MISSED'}")
    return t_n <= TARGET_S


def in_child(argv: list[str]) -> tuple[float, int]:
    """Wall seconds (imports included) and peak resident bytes of the command line run in a fresh process."""
    out = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, check=False)
    if out.returncode != 0 or not out.stdout.strip():
        raise SystemExit(f"{' '.join(argv)} failed: {out.stderr.strip()[-2000:]}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if r["code"] != 0:
        raise SystemExit(f"{' '.join(argv)} ended with {r['code']}: {out.stderr.strip()[-2000:]}")
    return float(r["seconds"]), int(r["rss"])


def bench_sensitivity(options: int, criteria: int, samples: int, tmp: Path) -> bool:
    def run(case: Path) -> tuple[float, int]:
        return in_child(["sensitivity", str(case), "--decision", "contract-strategy", "--samples", str(samples),
                         "--format", "json"])

    big = with_options_and_criteria(tmp / f"s{options}x{criteria}", options, criteria)
    half = with_options_and_criteria(tmp / f"s{options // 2}x{criteria // 2}", options // 2, criteria // 2)
    (t_n, rss_n), (t_half, rss_half), (t_ref, rss_ref) = run(big), run(half), run(EXAMPLE)
    gb = 1e9
    print(f"sensitivity, {options} options x {criteria} criteria, {samples:,} samples: {t_n:.1f} s, peak "
          f"{rss_n / gb:.2f} GB; {options // 2} x {criteria // 2}: {t_half:.1f} s, {rss_half / gb:.2f} GB; growth "
          f"exponent in the number of scores {math.log(t_n / t_half, 4):.2f} (time), {math.log(rss_n / rss_half, 4):.2f} "
          "(memory)")
    print(f"  reference, the example case (8 options x 13 criteria) in the same run: {t_ref:.1f} s, peak "
          f"{rss_ref / gb:.2f} GB")
    ok_t, ok_m = t_n <= SENS_TARGET_S, rss_n <= SENS_TARGET_BYTES
    print(f"  targets: {options} x {criteria} <= {SENS_TARGET_S:.0f} s: {'met' if ok_t else 'MISSED'}; "
          f"<= {SENS_TARGET_BYTES / gb:.0f} GB: {'met' if ok_m else 'MISSED'}")
    return ok_t and ok_m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tenderers", type=int, default=1000)
    ap.add_argument("--reference", type=int, default=200, help="tenderers of the direct-search reference")
    ap.add_argument("--options", type=int, default=50)
    ap.add_argument("--sens-options", type=int, default=200)
    ap.add_argument("--sens-criteria", type=int, default=60)
    ap.add_argument("--sens-samples", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=("tender", "cba", "sensitivity"), action="append",
                    help="run this part only (repeatable; default all)")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    parts = args.only or ["tender", "cba", "sensitivity"]
    ok = True
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        if "tender" in parts:
            ok = bench_tender(args.tenderers, args.reference, args.repeat, Path(tmp)) and ok
        if "cba" in parts:
            ok = bench_cba(args.options, args.repeat, Path(tmp)) and ok
        if "sensitivity" in parts:
            ok = bench_sensitivity(args.sens_options, args.sens_criteria, args.sens_samples, Path(tmp)) and ok
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
