#!/usr/bin/env python3.13
"""Differential oracle for Canon's Python front end, built on CPython's own `ast` (run it with Python 3.13).

    ast_facts.py dump ROOT                     print the oracle's facts for every *.py under ROOT as JSON
    ast_facts.py compare ROOT CANON_JSON [-n N] compare with `canon facts --format json ROOT` output

For each file (sorted by relative path) the oracle records whether it compiles, its imports (form, resolved
module, module as written, level, name, alias, kind, alias range, statement range) and its classes (qualified
name, range of the whole statement from the `class` keyword). Columns are 1-based code points, converted from
ast's UTF-8 byte offsets. `compare` prints the agreement (files agreeing / total) and the first N disagreements,
and exits non-zero unless every file agrees.

Import kinds follow Canon's rules: `function` inside any def; else `type_checking` in the body of
`if TYPE_CHECKING:` / `if <name>.TYPE_CHECKING:` (or an `elif` of that form, or the `else` of
`if not TYPE_CHECKING:`); else `fallback` in the body or any handler of a `try` with a handler naming
`ImportError` or `ModuleNotFoundError` (alone, dotted, or in a tuple; a bare `except:` or `except Exception:`
does not count); else `runtime`.
"""

import ast
import io
import json
import os
import re
import sys
import tokenize
import warnings

IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}
_NEWLINE = re.compile(r"\r\n|\r|\n")


def python_files(root):
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in files:
            if name.endswith(".py"):
                found.append(os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/"))
    return sorted(found)


def module_name(rel):
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def resolve(module, is_package, level, written):
    if level == 0:
        return written
    parts = module.split(".") if module else []
    if not is_package and parts:
        parts.pop()
    if len(parts) < level:
        return "." * level + written
    base = parts[: len(parts) - level + 1]
    if written:
        base.append(written)
    return ".".join(base)


class Lines:
    """Converts ast's (line, UTF-8 byte column) into 1-based code-point columns."""

    def __init__(self, data):
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
        except (SyntaxError, LookupError, UnicodeDecodeError):
            text = data.decode("utf-8", errors="replace")
        if text.startswith("\ufeff"):
            text = text[1:]
        self.lines = _NEWLINE.split(text)

    def column(self, line, byte_column):
        encoded = self.lines[line - 1].encode("utf-8")
        return len(encoded[:byte_column].decode("utf-8", errors="replace")) + 1

    def starts_with(self, line, byte_column, word):
        return self.lines[line - 1].encode("utf-8")[byte_column:].startswith(word.encode())

    def range(self, node):
        return [
            node.lineno,
            self.column(node.lineno, node.col_offset),
            node.end_lineno,
            self.column(node.end_lineno, node.end_col_offset),
        ]


def dotted_is(node, names):
    while isinstance(node, ast.Attribute):
        if names is not None:
            return node.attr in names and dotted_is(node.value, None)
        node = node.value
    if names is None:
        return isinstance(node, ast.Name)
    return isinstance(node, ast.Name) and node.id in names


def type_checking_test(test):
    negated = False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negated, test = True, test.operand
    hit = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute)
        and test.attr == "TYPE_CHECKING"
        and isinstance(test.value, ast.Name)
    )
    return (2 if negated else 1) if hit else 0


def catches_import_error(handler):
    kind = handler.type
    if kind is None:
        return False
    elements = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any(dotted_is(element, IMPORT_ERRORS) for element in elements)


class Oracle:
    def __init__(self, rel, data):
        self.rel = rel
        self.module, self.is_package = module_name(rel)
        self.lines = Lines(data)
        self.imports = []
        self.classes = []

    def kind(self, ctx):
        if ctx["function"]:
            return "function"
        if ctx["type_checking"]:
            return "type_checking"
        if ctx["fallback"]:
            return "fallback"
        return "runtime"

    def body(self, statements, ctx):
        for statement in statements:
            self.statement(statement, ctx)

    def statement(self, node, ctx):
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.add_import(node, ctx, "import", alias.name, 0, None, alias)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                self.add_import(node, ctx, "from", node.module or "", node.level, alias.name, alias)
        elif isinstance(node, ast.ClassDef):
            qualified = ctx["prefix"] + node.name
            self.classes.append({"qualifiedName": qualified, "range": self.lines.range(node)})
            self.body(node.body, dict(ctx, prefix=qualified + "."))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qualified = ctx["prefix"] + node.name
            self.body(node.body, dict(ctx, prefix=qualified + ".<locals>.", function=True))
        elif isinstance(node, ast.If):
            test = type_checking_test(node.test)
            self.body(node.body, dict(ctx, type_checking=True) if test == 1 else ctx)
            orelse = node.orelse
            is_elif = (
                len(orelse) == 1
                and isinstance(orelse[0], ast.If)
                and self.lines.starts_with(orelse[0].lineno, orelse[0].col_offset, "elif")
            )
            if is_elif:
                self.statement(orelse[0], ctx)
            else:
                self.body(orelse, dict(ctx, type_checking=True) if test == 2 else ctx)
        elif isinstance(node, (ast.Try, ast.TryStar)):
            catches = any(catches_import_error(handler) for handler in node.handlers)
            guarded = dict(ctx, fallback=True) if catches else ctx
            self.body(node.body, guarded)
            for handler in node.handlers:
                self.body(handler.body, guarded)
            self.body(node.orelse, ctx)
            self.body(node.finalbody, ctx)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            self.body(node.body, ctx)
            self.body(node.orelse, ctx)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            self.body(node.body, ctx)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                self.body(case.body, ctx)

    def add_import(self, node, ctx, form, written, level, name, alias):
        self.imports.append(
            {
                "form": form,
                "module": resolve(self.module, self.is_package, level, written),
                "writtenModule": written,
                "level": level,
                "name": name,
                "alias": alias.asname,
                "kind": self.kind(ctx),
                "range": self.lines.range(alias),
                "statementRange": self.lines.range(node),
            }
        )


def oracle_facts(root):
    result = {}
    for rel in python_files(root):
        with open(os.path.join(root, rel), "rb") as handle:
            data = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                tree = compile(data, rel, "exec", ast.PyCF_ONLY_AST)
            except (SyntaxError, ValueError) as error:
                result[rel] = {"parses": False, "error": f"{getattr(error, 'lineno', '?')}: {error}"}
                continue
        oracle = Oracle(rel, data)
        context = {"prefix": "", "function": False, "type_checking": False, "fallback": False}
        oracle.body(tree.body, context)
        result[rel] = {"parses": True, "imports": oracle.imports, "classes": oracle.classes}
    return result


def flat_range(r):
    return [r["line"], r["column"], r["endLine"], r["endColumn"]]


def canon_facts(path):
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    result = {}
    for error in document.get("errors", []):
        result[error["path"]] = {"parses": False, "error": f"{error['line']}:{error['column']}: {error['message']}"}
    for facts in document.get("files", []):
        if facts.get("language", "python") != "python":
            continue
        imports = [
            {
                "form": fact["form"],
                "module": fact["module"],
                "writtenModule": fact["writtenModule"],
                "level": fact["level"],
                "name": fact.get("name"),
                "alias": fact.get("alias"),
                "kind": fact["kind"],
                "range": flat_range(fact["range"]),
                "statementRange": flat_range(fact["statementRange"]),
            }
            for fact in facts.get("imports", [])
        ]
        classes = [
            {"qualifiedName": fact["qualifiedName"], "range": flat_range(fact["range"])[:2] + flat_range(fact["bodyRange"])[2:]}
            for fact in facts.get("classes", [])
        ]
        result[facts["path"]] = {"parses": True, "imports": imports, "classes": classes}
    return result


def first_difference(expected, actual):
    if expected["parses"] != actual["parses"]:
        return f"CPython {'parses' if expected['parses'] else 'rejects'} it; Canon " + (
            "parses it" if actual["parses"] else f"rejects it ({actual['error']})"
        )
    if not expected["parses"]:
        return None
    for key in ("imports", "classes"):
        left, right = expected[key], actual[key]
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else None
            b = right[index] if index < len(right) else None
            if a != b:
                return f"{key}[{index}]:\n      ast:   {json.dumps(a)}\n      canon: {json.dumps(b)}"
    return None


def compare(root, canon_json, limit):
    expected = oracle_facts(root)
    actual = canon_facts(canon_json)
    failures = []
    for rel in sorted(set(expected) | set(actual)):
        if rel not in expected:
            failures.append((rel, "Canon reports a file the oracle did not scan"))
        elif rel not in actual:
            failures.append((rel, "Canon has no facts and no error for this file"))
        else:
            difference = first_difference(expected[rel], actual[rel])
            if difference:
                failures.append((rel, difference))
    total = len(expected)
    agreeing = total - sum(1 for rel, _ in failures if rel in expected)
    name = os.path.basename(os.path.normpath(root))
    print(f"{name}: {agreeing}/{total} files agree ({100.0 * agreeing / max(total, 1):.2f}%)")
    for rel, difference in failures[:limit]:
        print(f"  {rel}: {difference}")
    if len(failures) > limit:
        print(f"  ... and {len(failures) - limit} more")
    return 0 if not failures else 1


def main(argv):
    if len(argv) >= 3 and argv[1] == "dump":
        json.dump(oracle_facts(argv[2]), sys.stdout, indent=1, sort_keys=True)
        return 0
    if len(argv) >= 4 and argv[1] == "compare":
        limit = 10
        if "-n" in argv:
            limit = int(argv[argv.index("-n") + 1])
        return compare(argv[2], argv[3], limit)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
