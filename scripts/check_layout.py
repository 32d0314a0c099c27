#!/usr/bin/env python3
"""Checks the layout rules of harness/ and lists every violation.

  (a) layering: a file under harness/<layer>/ includes "harness/<other>/..."
      only for a layer its row of LAYERS allows, and the public headers
      (harness/*.h) its row allows; a test file (*_test.cc) may also include
      TEST_EXTRA_INCLUDES;
  (b) no file under harness/ (FILE_EXTENSIONS) over MAX_FILE_LINES lines;
  (c) no C++ function body over MAX_FUNCTION_LINES lines, from the line with
      its `{` to the line with its `}` (lambdas and local classes count as
      part of the function around them).

Each violation is printed as `path:line: message`; the exit status is 0 only
when there are none.

  scripts/check_layout.py [--root DIR]    (DIR: the source tree; default: ..)
"""

import argparse
import os
import re
import sys

# --- The rules --------------------------------------------------------------

# layer: (the other layers it may include, the public harness/*.h headers it
# may include; ALL for every one). A layer may always include its own folder,
# and every layer but tsan/ may include tsan/ and core/. "public" is the
# headers directly in harness/.
ALL = "*"
LAYERS = {
    "tsan": ((), ()),
    "core": (("tsan",), ("outcome.h",)),
    "stress": (("core", "tsan"), ("point.h", "outcome.h")),
    "controlled": (("core", "tsan"), ("point.h", "outcome.h")),
    "api": (("core", "tsan", "stress", "controlled"), ALL),
    "public": (("core", "tsan", "stress", "controlled"), ALL),
    "intercept": (("core", "tsan", "stress", "controlled"), ALL),
    "runner": (("core", "tsan", "stress", "controlled"), ALL),
    "report": (("core", "tsan"), ("outcome.h",)),
    "gtest": (ALL, ALL),
    "tests": (ALL, ALL),
}
# What a *_test.cc may include beyond its layer's row.
TEST_EXTRA_INCLUDES = ("runner/test_support.h",)

MAX_FILE_LINES = 400
FILE_EXTENSIONS = (".h", ".cc", ".py", ".cmake")
MAX_FUNCTION_LINES = 60
CPP_EXTENSIONS = (".h", ".cc")

# --- (a) layering -----------------------------------------------------------

INCLUDE = re.compile(r'^\s*#\s*include\s*"harness/([^"]+)"')


def layer_of(relative):
    """The layer of a path relative to harness/: its folder, or "public"."""
    parts = relative.split("/")
    return "public" if len(parts) == 1 else parts[0]


def include_allowed(layer, target, is_test):
    """Whether a file of `layer` may include "harness/<target>"."""
    layers, headers = LAYERS[layer]
    target_layer = layer_of(target)
    if target_layer == layer:
        return True
    if is_test and target in TEST_EXTRA_INCLUDES:
        return True
    # A test's fixtures are cases, written against the public API like any
    # user's; the layer's own code may still not include it.
    if is_test and target_layer == "public":
        return True
    if target_layer == "public":
        return headers == ALL or target in headers
    return layers == ALL or target_layer in layers


def check_includes(path, relative, lines):
    layer = layer_of(relative)
    if layer not in LAYERS:
        return [(path, 1, f"folder harness/{layer}/ has no row in check_layout.py's LAYERS")]
    is_test = relative.endswith("_test.cc")
    found = []
    for number, line in enumerate(lines, 1):
        match = INCLUDE.match(line)
        if match and not include_allowed(layer, match.group(1), is_test):
            found.append((path, number, f"{layer}{' test' if is_test else ''} may not "
                          f"include \"harness/{match.group(1)}\" "
                          f"(layer {layer_of(match.group(1))})"))
    return found


# --- (c) function bodies ----------------------------------------------------

RAW_STRING = re.compile(r'R"([^()\\\s]{0,16})\(')
RAW_PREFIX = re.compile(r"(^|[^A-Za-z0-9_])(u8|u|U|L)?$")
DIGITS_SO_FAR = re.compile(r"(^|[^A-Za-z0-9_])\d[0-9A-Za-z']*$")


def blank(text):
    """`text` with comments, string and character literals and preprocessor
    lines replaced by spaces (newlines kept, so line numbers stay)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            # A preprocessor line, with its continuations.
            j = i
            while j < n and (text[j] != "\n" or text[j - 1] == "\\"):
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if c == "\n":
            line_start = True
            out.append(c)
            i += 1
            continue
        if not c.isspace():
            line_start = False
        raw = None
        if c == "R" and RAW_PREFIX.search(text[max(0, i - 3):i]):
            raw = RAW_STRING.match(text, i)
        if raw:
            end = text.find(")" + raw.group(1) + '"', raw.end())
            end = n if end < 0 else end + len(raw.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:end]))
            i = end
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"' or (c == "'" and not DIGITS_SO_FAR.search(text[max(0, i - 40):i])):
            # A literal (a ' inside a number is a digit separator).
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + (c if j < n else ""))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def strip_balanced(text, open_char, close_char):
    """`text` with the contents of its outermost open/close pairs removed."""
    out, depth = [], 0
    for c in text:
        if c == open_char:
            if depth == 0:
                out.append(c)
            depth += 1
        elif c == close_char and depth > 0:
            depth -= 1
            if depth == 0:
                out.append(c)
        elif depth == 0:
            out.append(c)
    return "".join(out)


SCOPE_KEYWORD = re.compile(r'^(namespace|class|struct|union|enum)\b|^extern\s*"\s*"')
TEMPLATE_PREFIX = re.compile(r"^template\s*<")
# After the parameters: cv, ref and virt qualifiers, noexcept, and
# annotation macros (ABSL_LOCKS_EXCLUDED(mu_), ABSL_NO_THREAD_SAFETY_ANALYSIS).
QUALIFIERS = (r"(\s|const\b|volatile\b|noexcept\b(\(\))?|override\b|final\b|mutable\b|&"
              r"|\b[A-Z][A-Z0-9_]*\b(\s*\(\))?)*")
ACCESS = re.compile(r"^(public|private|protected)\s*:(?!:)\s*")
SIGNATURE_END = re.compile(r"[A-Za-z0-9_>~]\s*\(\)" + QUALIFIERS + r"(->[^=;]*)?$")
CTOR_INIT = re.compile(r"[A-Za-z0-9_>~]\s*\(\)" + QUALIFIERS + r":(?!:).*[)}]$", re.S)


def drop_template_prefix(head):
    while TEMPLATE_PREFIX.match(head):
        depth, i = 0, head.index("<")
        for i in range(head.index("<"), len(head)):
            depth += {"<": 1, ">": -1}.get(head[i], 0)
            if depth == 0:
                break
        head = head[i + 1:].lstrip()
    return head


def classify(head):
    """What the `{` after `head` (a statement's text so far, outside any
    function) opens: "function", "scope" (namespace, class, enum...) or
    "init" (an initializer, an expression's lambda...)."""
    head = re.sub(r"\[\[.*?\]\]", " ", " ".join(head.split())).strip()
    while ACCESS.match(head):
        head = ACCESS.sub("", head, count=1)
    head = drop_template_prefix(head)
    flat = strip_balanced(re.sub(r"\boperator\s*(\(\)|[^\s(]+)\s*\(", "operator (", head),
                          "(", ")")
    if flat.count("(") != flat.count(")"):
        return "init"  # inside a macro's or a call's arguments
    if "=" not in flat.replace("->", "") and (SIGNATURE_END.search(flat) or CTOR_INIT.search(flat)):
        return "function"
    if SCOPE_KEYWORD.match(flat):
        return "scope"
    return "init"


def check_functions(path, text):
    code = blank(text)
    found = []
    # Frames: [kind, line of its `{`, line its statement starts, head saved].
    stack = []
    head, head_line, line = "", None, 1
    in_function = 0
    for c in code:
        if c == "\n":
            line += 1
            head += c
            continue
        if c == "{":
            if in_function:
                kind = "block"
            elif stack and stack[-1][0] == "init":
                kind = "init"
            else:
                kind = classify(head)
            stack.append([kind, line, head_line if head_line else line, head])
            in_function += kind in ("function", "block")
            head, head_line = "", None
        elif c == "}" and stack:
            kind, opened, started, saved = stack.pop()
            in_function -= kind in ("function", "block")
            if kind == "function" and line - opened + 1 > MAX_FUNCTION_LINES:
                found.append((path, started, f"function body is {line - opened + 1} lines "
                              f"(over {MAX_FUNCTION_LINES})"))
            if kind == "init":
                head, head_line = saved + "{}", started
            else:
                head, head_line = "", None
        elif c == ";" or (c == ":" and head.strip() in ("public", "private", "protected")):
            head, head_line = "", None  # a statement, or an access specifier, ends
        else:
            if head_line is None and not c.isspace():
                head_line = line
            head += c
    return found


# --- The walk ---------------------------------------------------------------

def check_tree(root):
    harness = os.path.join(root, "harness")
    found = []
    for directory, subdirectories, files in os.walk(harness):
        subdirectories.sort()
        for name in sorted(files):
            if not name.endswith(FILE_EXTENSIONS):
                continue
            full = os.path.join(directory, name)
            path = os.path.relpath(full, root)
            relative = os.path.relpath(full, harness).replace(os.sep, "/")
            with open(full, encoding="utf-8", errors="replace") as f:
                text = f.read()
            lines = text.splitlines()
            if len(lines) > MAX_FILE_LINES:
                found.append((path, 1, f"file is {len(lines)} lines (over {MAX_FILE_LINES})"))
            if name.endswith(CPP_EXTENSIONS):
                found += check_includes(path, relative, lines)
                found += check_functions(path, text)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), help="the source tree (holding harness/)")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.root, "harness")):
        print(f"check_layout.py: no harness/ in {args.root}", file=sys.stderr)
        return 2
    found = sorted(check_tree(args.root))
    for path, line, message in found:
        print(f"{path}:{line}: {message}")
    if found:
        print(f"check_layout.py: {len(found)} violation(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
