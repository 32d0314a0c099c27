"""The runner's --json report (harness/report/report_json.h): read with its
shape checked, and written as the runner writes it.

Its shape is checked field by field, so that a report of another shape is an
error naming the file and the field, never a traceback from deep inside a
merge. It is written with the runner's very layout (the run's fields on the
first line, one case a line, the runner's escaping), so a report that went
through here reads as one the runner wrote: a one-shard run merged comes out
byte for byte as it went in.
"""

import json
import os
import tempfile


class BadInput(Exception):
    """Input this tool cannot take; its message is one line that says why."""


# What a field holds: a type, a dict of fields (an object), a one-item list
# (a list of such items) or a tuple of alternatives (None: null).
OUTCOME = {"value": str, "count": int, "class": str}
# "kind" is the symptom's family ("race" for every ThreadSanitizer report);
# "report_kind" which report a race is, as TSan names it ("lock-order-inversion"),
# null for any other symptom.
FAILURE = {"iteration": int, "kind": str, "report_kind": (str, None), "detail": str,
           "replay": str}
CASE = {"name": str, "expectation": str, "passed": bool, "skipped": bool, "iterations": int,
        "elapsed_ms": int, "races": int, "hangs": int, "crashes": int, "outcomes": [OUTCOME],
        "first_failure": (FAILURE, None)}
SHARD = {"index": int, "total": int}
# What makes the shards of one run comparable: they agree on all of it.
RUN = {"seed": str, "preset": str, "engine": str, "engine_flags": str,
       "iteration_budget": int, "time_budget": str, "replay": (str, None)}
REPORT = {**RUN, "shard": SHARD, "cases": [CASE]}
# What a report of an older runner lacks: such a report is a run of its own
# (shard 0 of 1) that nothing can be checked against; a first failure of one
# has no "report_kind" (and is written back without it).
SINCE_LATER = ("engine", "engine_flags", "iteration_budget", "time_budget", "replay", "shard",
               "report_kind")
UNSHARDED = {"index": 0, "total": 1}


def _what(shape):
    if isinstance(shape, tuple):
        return " or ".join(_what(s) for s in shape)
    if isinstance(shape, dict):
        return "an object"
    if isinstance(shape, list):
        return "a list"
    return {None: "null", str: "a string", int: "a whole number", bool: "true or false"}[shape]


def _fits(value, shape):
    if isinstance(shape, tuple):
        return any(_fits(value, s) for s in shape)
    if shape is None:
        return value is None
    if isinstance(shape, dict):
        return isinstance(value, dict)
    if isinstance(shape, list):
        return isinstance(value, list)
    if shape is int:  # JSON's true is no count
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, shape)


def _check(path, where, value, shape, optional=()):
    """Raises BadInput if `value` (at `where` in `path`) is not of `shape`;
    a key of `optional` may be missing from any object in it."""
    if not _fits(value, shape):
        shown = json.dumps(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise BadInput(f"{path}: {where or 'the report'} is {shown}, expected {_what(shape)}")
    if isinstance(shape, tuple):
        shape = next(s for s in shape if _fits(value, s))
    if isinstance(shape, dict):
        for key, field in shape.items():
            inner = f"{where}.{key}" if where else key
            if key not in value:
                if key in optional:
                    continue
                raise BadInput(f"{path}: no \"{inner}\" (not a racestress --json report?)")
            _check(path, inner, value[key], field, optional)
    elif isinstance(shape, list):
        for i, item in enumerate(value):
            _check(path, f"{where}[{i}]", item, shape[0], optional)


def load(path):
    """The report at `path`, its shape checked."""
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except OSError as e:
        raise BadInput(f"cannot read {path}: {e.strerror or e}")
    except (ValueError, RecursionError) as e:  # RecursionError: nested too deep
        raise BadInput(f"{path} is not JSON: {e}")
    _check(path, "", report, REPORT, optional=SINCE_LATER)
    for i, case in enumerate(report["cases"]):
        if case["expectation"] not in ("racy", "clean"):
            raise BadInput(f"{path}: cases[{i}].expectation is {json.dumps(case['expectation'])}, "
                           "expected \"racy\" or \"clean\"")
    shard = report.get("shard", UNSHARDED)
    if not 0 <= shard["index"] < shard["total"]:
        raise BadInput(f"{path}: shard.index {shard['index']} is not one of the "
                       f"{shard['total']} of shard.total")
    return report


def _quote(text):
    # report_json.cc's Quote(): only these are escaped, the rest is as is.
    out = ['"']
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out) + '"'


def _value(value, shape):
    # Objects in their shape's order of fields, so that the layout is the
    # runner's whatever order they came in.
    if isinstance(shape, tuple):
        shape = next(s for s in shape if _fits(value, s))
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v, shape[0]) for v in value) + "]"
    return "{" + ", ".join(f"{_quote(k)}: {_value(value[k], s)}"
                           for k, s in shape.items() if k in value) + "}"


def text(report):
    """`report` laid out as report_json.cc lays it out."""
    head = ", ".join(f"{_quote(k)}: {_value(report[k], s)}"
                     for k, s in REPORT.items() if k != "cases" and k in report)
    cases = ",\n  ".join(_value(case, CASE) for case in report["cases"])
    return "{" + head + ", \"cases\": [" + ("\n  " + cases if cases else "") + "\n]}\n"


def write_whole(path, contents):
    """Writes `path` whole or not at all: a temporary file beside it, renamed
    over it, and removed on any failure."""
    if not path:
        raise BadInput("--out names no file")
    try:
        data = contents.encode("utf-8")
    except UnicodeError as e:
        raise BadInput(f"cannot write {path}: a string is not Unicode ({e.reason})")
    try:
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                                    prefix=".merge_shards.", suffix=".tmp")
    except OSError as e:
        raise BadInput(f"cannot write {path}: {e.strerror or e}")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp's file is the owner's only; a report is as any file made here.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException as e:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise BadInput(f"cannot write {path}: {e.strerror or e}")
        raise
