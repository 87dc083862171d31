"""Sealing the evaluation model before tenders are opened.

``seal`` writes ``seal.json`` next to ``model.yaml``: the sha256 of the file, the sha256 of its parameters (the
validated model as canonical JSON, so a changed comment or layout is told apart from a changed rule), the
parameters themselves and a UTC timestamp. Evaluation compares the model with the seal and refuses (or, when the
caller allows it, warns loudly), naming every parameter that changed. The model must be fixed before opening:
KOFA 2017/81 (verified: true, by the issue 24 legal review on DFØ's case-law page, which quotes paras. 25–26);
CJEU C-6/15 *TNS Dimarso* (the method may not alter the criteria or their weights;
verified: true).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from procurement.case.errors import InputError, Problem, display_path
from procurement.case.outputs import output_file
from procurement.case.textfile import read_text
from procurement.text import sentences
from procurement.text.sentences import Assumption
from procurement.tender.competition import SEAL_FILE, Competition
from procurement.tender.models import EvaluationModel

SOURCES = (
    "KOFA 2017/81: the evaluation model is fixed before tenders are opened (verified: true; DFØ's case-law page "
    "quotes paras. 25-26, as read by the issue 24 legal review)",
    "CJEU C-6/15 TNS Dimarso (14 July 2016): the evaluation method may not alter the award criteria or their "
    "relative weighting (verified: true)",
)


def parameters(comp: Competition) -> dict[str, Any]:
    """The model's parameters as plain JSON data (the validated model, defaults filled in)."""
    return json.loads(comp.model.model_dump_json())


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seal(comp: Competition, now: datetime | None = None, force: bool = False) -> Path:
    """Write ``seal.json`` for the competition's model; refuses to replace a seal once tenders are in, unless forced."""
    path = comp.folder / SEAL_FILE
    if path.exists() and comp.opened and not force:
        raise InputError(Problem(display_path(path), "", "the model is already sealed and tenders.csv exists",
                                 "a model is sealed once, before opening; re-sealing after opening needs --force"))
    params = parameters(comp)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    record = {"competition": comp.id, "sealed_at": stamp, "model_file": comp.model_path.name,
              "model_sha256": file_digest(comp.model_path), "parameters_sha256": _digest(params),
              "parameters": params, "sources": list(SOURCES)}
    output_file(path, "tender seal", "make the competition folder writable: the seal is written beside model.yaml")
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # a seal is whole or not there: never half a file in its place
    return path


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(data, list) and all(isinstance(x, dict) and "id" in x for x in data):
        out = {}
        for x in data:
            out.update(_flatten({k: v for k, v in x.items() if k != "id"}, f"{prefix}[{x['id']}]"))
            out[f"{prefix}[{x['id']}]"] = "present"
        return out
    return {prefix: data}


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Each changed parameter as (key, sealed value, current value); '(absent)' where a key is missing.

    A key absent on one side and null on the other is no change (a newer workbench may add an optional key)."""
    a, b = _flatten(old), _flatten(new)
    out = []
    for key in sorted(set(a) | set(b)):
        was, now = a.get(key, "(absent)"), b.get(key, "(absent)")
        optional = (was is None and now == "(absent)") or (now is None and was == "(absent)")
        if was != now and not optional:
            out.append((key, was, now))
    return out


def describe(change: tuple[str, Any, Any]) -> str:
    key, was, now = change
    return f"{key}: {was!r} -> {now!r}"


@dataclass
class SealStatus:
    sealed: bool
    sealed_at: str | None = None
    file_changed: bool = False
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    after_opening: bool = False
    assumptions: list[Assumption] = field(default_factory=list)  # the seal state as sentences (seal_assumptions)

    def describe(self, language: str = "nb") -> list[str]:
        return sentences.describe(self.assumptions, language)

    @property
    def ok(self) -> bool:
        return self.sealed and not self.changes

    def messages(self) -> list[str]:
        if not self.sealed:
            return ["the evaluation model is NOT sealed: run 'procurement tender seal' before tenders are opened"]
        out = []
        if self.changes:
            changed = "; ".join(describe(c) for c in self.changes)
            out.append(f"THE EVALUATION MODEL CHANGED AFTER IT WAS SEALED ({self.sealed_at}): {changed}")
        elif self.file_changed:
            out.append(f"model.yaml's SHA-256 differs from the seal's ({self.sealed_at}) but no parameter does: its "
                       "comments or layout changed, or seal.json's model_sha256 was edited")
        if self.after_opening:
            out.append(f"the model was sealed at {self.sealed_at}, after the opening time stated in the model")
        return out


#: Largest seal.json read, in bytes (the example's is under 5 kB).
MAX_SEAL_BYTES = 1024 * 1024
#: Deepest nesting of lists and mappings in a seal (a model's parameters nest four levels).
MAX_SEAL_DEPTH = 32
_RESTORE = "restore it from version control, or seal again with 'procurement tender seal' before opening"


_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number", bool: "true or false"}


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "null")


@dataclass(frozen=True)
class _Record:
    parameters: dict[str, Any]
    sealed_at: str
    when: datetime
    model_sha256: str


def _depth(data: Any) -> int:
    """How deeply lists and mappings nest in `data` (no recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_SEAL_DEPTH:
                stack.extend((v, level + 1) for v in (node.values() if isinstance(node, dict) else node))
    return deepest


def read_seal(path: Path) -> _Record:
    """The seal record of `path`, or an InputError in one line naming the file and the key that is wrong."""
    name = display_path(path)
    text = read_text(path, MAX_SEAL_BYTES)
    try:
        record = json.loads(text)
    except RecursionError:
        raise InputError(Problem(name, "", "refused: nested too deeply", _RESTORE)) from None
    except ValueError as e:
        where = f"line {e.lineno}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
        raise InputError(Problem(name, where, f"is not JSON ({getattr(e, 'msg', e)})", _RESTORE)) from None
    if not isinstance(record, dict):
        raise InputError(Problem(name, "top level", f"is {_kind(record)}, not the object a seal is",
                                 _RESTORE))
    if _depth(record) > MAX_SEAL_DEPTH:
        raise InputError(Problem(name, "", f"refused: nested more than {MAX_SEAL_DEPTH} levels deep", _RESTORE))
    for key, kind in (("parameters", dict), ("sealed_at", str), ("model_sha256", str)):
        if not isinstance(record.get(key), kind):
            what = "is missing" if key not in record else f"is {_kind(record[key])}, not {_JSON_TYPES[kind]}"
            raise InputError(Problem(name, f"key '{key}'", what, _RESTORE))
    return _Record(record["parameters"], record["sealed_at"], _sealed_at(name, record["sealed_at"]),
                   record["model_sha256"])


def _sealed_at(name: str, stamp: str) -> datetime:
    """The seal's time, which must be an ISO 8601 time with its offset from UTC (as 'seal' writes it)."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None or when.utcoffset() is None:
        raise InputError(Problem(name, "key 'sealed_at'", f"'{stamp}' is not a time with its offset from UTC",
                                 "e.g. '2026-12-01T16:12:29+00:00', as 'procurement tender seal' writes it; " + _RESTORE))
    return when


def status(comp: Competition) -> SealStatus:
    """Compare the model with its seal."""
    path = comp.folder / SEAL_FILE
    if not path.exists() and not path.is_symlink():
        return SealStatus(sealed=False, assumptions=seal_assumptions(SealStatus(sealed=False), comp.model))
    record = read_seal(path)
    changes = differences(record.parameters, parameters(comp))
    opening = comp.model.opening
    after = opening is not None and record.when > opening.astimezone(UTC)
    st = SealStatus(True, record.sealed_at, record.model_sha256 != file_digest(comp.model_path), changes, after)
    st.assumptions = seal_assumptions(st, comp.model)
    return st


def seal_assumptions(status: SealStatus, model: EvaluationModel) -> list[Assumption]:
    """Whether the model was sealed, when, and what changed since."""
    if not status.sealed:
        return [Assumption("tender.seal.none", {"sealed": False})]
    base = {"sealed": True, "sealed_at": status.sealed_at}
    if status.changes:
        keys = [k for k, _, _ in status.changes]
        out = [Assumption("tender.seal.changed", base | {"keys": ", ".join(keys), "changed": keys})]
    elif status.file_changed:
        out = [Assumption("tender.seal.layout", base | {"file_changed": True})]
    else:
        out = [Assumption("tender.seal.unchanged", base)]
    if status.after_opening and model.opening is not None:
        out.append(Assumption("tender.seal.after_opening", {"opening": model.opening.isoformat()}))
    return out


def enforce(comp: Competition, allow_changed: bool = False) -> SealStatus:
    """Refuse (InputError naming every change) when the model differs from its seal, unless ``allow_changed``."""
    st = status(comp)
    if st.changes and not allow_changed:
        raise InputError(change_problems(comp, st))
    return st


def change_problems(comp: Competition, st: SealStatus) -> list[Problem]:
    """One problem per parameter changed since the seal, naming the sealed and the current value."""
    path = display_path(comp.model_path)
    return [Problem(path, f"key '{key}'", f"changed from {was!r} to {now!r} after the model was sealed at {st.sealed_at}",
                    "restore the sealed value; the model is fixed before opening (KOFA 2017/81, C-6/15 Dimarso)")
            for key, was, now in st.changes]
