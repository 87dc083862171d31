"""YAML from files an advisor (or anyone) wrote, read with bounds.

PyYAML's ``safe_load`` refuses python tags, but not a "billion laughs"
document: nine levels of ten aliases each is a few hundred bytes of text that
expands to 10⁹ nodes, and everything that walks the result (pydantic, an error
message quoting the value) then runs out of memory. :func:`load` parses with
the safe loader and three limits, checked before anything is built:

- the text is at most :data:`MAX_YAML_BYTES` (4 MB; the largest file of the
  example case is under 20 kB);
- at most :data:`MAX_ALIASES` aliases (``*name``) in a document;
- the document, with every alias expanded, has at most :data:`MAX_NODES`
  nodes (counted on the composed node graph, each shared node once per use,
  without building the expansion).

The text is composed by libyaml's C parser when PyYAML has it (about 7 times
faster than the pure-Python one: every command reads the criteria files, the
scenarios and the procurement rules), and the aliases are counted on the
composed graph, where each use of an anchor is one more reference to a shared
node; without libyaml the pure-Python loader counts them as it composes.

Breaking a limit, a syntax error, or a control character that Excel and the
reports cannot hold (see :func:`procurement.case.errors.control_characters`)
raises :class:`~procurement.case.errors.InputError` with one line naming the
file and line. Every YAML reader of the package should go through here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from procurement.case.errors import InputError, Problem, control_characters, display_path
from procurement.case.textfile import read_text

#: Largest YAML text read, in bytes.
MAX_YAML_BYTES = 4 * 1024 * 1024
#: Most aliases (``*name``) in one document.
MAX_ALIASES = 1_000
#: Most nodes of a document with every alias expanded.
MAX_NODES = 1_000_000


class _Bounded(yaml.SafeLoader):
    """The safe loader, counting aliases as it composes."""

    aliases = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                event = self.peek_event()
                raise _Limit(f"more than {MAX_ALIASES:,} aliases (*name)", event.start_mark)
        return super().compose_node(parent, index)


#: The C loader when PyYAML was built with libyaml (composes the same nodes, counts nothing itself).
_FAST: type | None = getattr(yaml, "CSafeLoader", None)


class _Limit(Exception):
    def __init__(self, what: str, mark: Any = None):
        super().__init__(what)
        self.what = what
        self.mark = mark


def _expanded_size(root: yaml.Node) -> int:
    """Nodes of the document with every alias expanded, stopping early past MAX_NODES (no recursion)."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in size:
            continue
        children = _children(node)
        if done or not children:
            total = 1 + sum(size.get(id(c), 0) for c in children)
            size[id(node)] = min(total, MAX_NODES + 1)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)
    return size[id(root)]


def _aliases(root: yaml.Node) -> tuple[int, int]:
    """Uses of an anchor (``*name``, ``<<: *name``) in a composed document (references to a node beyond the first),
    and the number of distinct nodes."""
    seen = {id(root)}
    stack = [root]
    references = 0
    while stack:
        for child in _children(stack.pop()):
            references += 1
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return references - (len(seen) - 1), len(seen)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def load_text(text: str, file: str | Path) -> Any:
    """Parse one YAML document from `text` within the limits; `file` names it in problems."""
    name = display_path(file) if isinstance(file, Path) else str(file)
    if len(text) > MAX_YAML_BYTES:
        raise InputError(Problem(name, "", f"is {len(text.encode('utf-8')):,} bytes, more than the {MAX_YAML_BYTES:,} "
                                           "a YAML file of the workbench may hold", "is this the right file?"))
    try:
        loader = _FAST(text) if _FAST is not None else _Bounded(text)  # the pure-Python reader checks here
    except yaml.reader.ReaderError as e:
        raise InputError(_unreadable(name, text, e)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        aliases, distinct = _aliases(node)
        if aliases > MAX_ALIASES:
            raise _Limit(f"more than {MAX_ALIASES:,} aliases (*name)", node.start_mark)
        # without an alias every node is used once, so the expanded document is the composed one: no second walk
        if (distinct if aliases == 0 else _expanded_size(node)) > MAX_NODES:
            raise _Limit(f"expands to more than {MAX_NODES:,} values through aliases (*name), a 'billion laughs' "
                         "pattern", node.start_mark)
        data = loader.construct_document(node)
    except _Limit as e:
        raise InputError(Problem(name, _where(e.mark), f"refused: {e.what}", "write the values out without aliases")) from None
    except yaml.reader.ReaderError as e:
        raise InputError(_unreadable(name, text, e)) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        if "nesting depth" in what:  # libyaml's limit (the pure-Python parser recurses instead)
            raise InputError(Problem(name, "", "refused: nested too deeply", "use at most a few levels of nesting")) from None
        problem = Problem(name, _where(mark), f"YAML syntax error: {what}", "check indentation, colons and quotes")
        raise InputError(problem) from None
    except RecursionError:
        raise InputError(Problem(name, "", "refused: nested too deeply", "use at most a few levels of nesting")) from None
    finally:
        loader.dispose()
    _check_text(data, name)
    return data


def _unreadable(name: str, text: str, e: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow anywhere in a file (a raw control byte such as 0x07, 0x0C or 0x1B): its line,
    column and code."""
    char = chr(e.character) if isinstance(e.character, int) else ""
    at = text.find(char) if char else -1
    if at < 0:
        return Problem(name, "", f"YAML cannot read it: {e.reason}", "save it as UTF-8 text without control characters")
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    code = f"0x{ord(char):02X}" if ord(char) < 256 else f"U+{ord(char):04X}"
    return Problem(name, f"line {line}, column {column}", f"holds the control byte {code}, which YAML does not allow",
                   "remove it; an editor may show it as a box or not at all")


def load(path: str | Path) -> Any:
    """Read and parse a YAML file within the limits (see :func:`load_text`); InputError for any problem."""
    path = Path(path)
    return load_text(read_text(path, MAX_YAML_BYTES), path)


def _check_text(data: Any, name: str) -> None:
    """Refuse a control character in any key or value (Excel and HTML cannot hold them)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, key = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                sub = f"{key}.{k}" if key else str(k)
                stack.append((k, sub))
                stack.append((v, sub))
        elif isinstance(node, list):
            stack.extend((v, f"{key}[{i + 1}]") for i, v in enumerate(node))
        elif isinstance(node, str):
            bad = control_characters(node)
            if bad:
                raise InputError(
                    Problem(name, f"key '{key}'" if key else "top level", f"contains the control character {bad}",
                            "Excel and the reports cannot hold it; remove it")
                )


def load_mapping(path: str | Path, example: str) -> dict[str, Any]:
    """A YAML file of the case that must exist and hold a mapping (see :func:`load`); `example` names a file like it."""
    path = Path(path)
    name = display_path(path)
    if not path.is_file():
        raise InputError(Problem(name, "", "file not found", f"give {path.name} in the case folder"))
    doc = load(path) or {}
    if not isinstance(doc, dict):
        raise InputError(Problem(name, "", "is not a mapping of keys", f"see {example}"))
    return doc
