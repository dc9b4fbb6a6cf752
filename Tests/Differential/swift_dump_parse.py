#!/usr/bin/env python3
"""Differential test of Canon's Swift front end against `swiftc -dump-parse`.

For every Swift file of each package given, compares the type declarations (kind, qualified name, line) and
the imports (module path, line, `@_exported`) that `canon facts` reports with those in the compiler's parse
dump. The compiler's dump leaves out everything inside `#if ... #endif` (active branches too), so facts on
lines inside `#if` blocks are left out of the comparison; files either side cannot parse are counted apart.

Usage: swift_dump_parse.py CANON PACKAGE... [--min-agreement 0.99] [--show 10]
Prints one line per package and a total; exits 1 when the total agreement is below --min-agreement.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter

TYPE_HEADS = {"class_decl": "class", "struct_decl": "struct", "enum_decl": "enum", "protocol": "protocol",
              "typealias": "typealias"}
SCOPE_HEADS = set(TYPE_HEADS) | {"extension_decl"}
NODE = re.compile(r'^( *)\((\S+)(.*)$')
RANGE = re.compile(r'range=\[(.+?):(\d+):(\d+) - ')
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def dump_parse(files):
    """Runs swiftc -dump-parse on files; returns {path: [(kind, name, line, scope)], ...} and imports."""
    result = subprocess.run(["swiftc", "-dump-parse", *files], capture_output=True, text=True, errors="replace")
    failed = set()
    for line in result.stderr.splitlines():
        match = re.match(r"^(.+?\.swift):\d+:\d+: error:", line)
        if match:
            failed.add(os.path.abspath(match.group(1)))
    types, imports = {}, {}
    stack = []  # (indent, head, name)
    current = None
    # The dump goes to standard error with the diagnostics, or to standard output, depending on the version.
    for raw in (result.stdout + "\n" + result.stderr).splitlines():
        match = NODE.match(raw)
        if not match:
            continue
        indent, head, rest = len(match.group(1)), match.group(2), match.group(3)
        if head == "source_file":
            current = os.path.abspath(QUOTED.search(rest).group(1))
            types.setdefault(current, [])
            imports.setdefault(current, [])
            stack = []
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if any(h.startswith("processed_init=") for _, h, _ in stack) or head.startswith("processed_init="):
            # The dump shows a pattern's initializer twice, as written and as processed: read it once.
            stack.append((indent, head, None))
            continue
        quoted = QUOTED.search(rest)
        name = quoted.group(1) if quoted else None
        where = RANGE.search(rest)
        line = int(where.group(2)) if where else None
        if head == "import_decl" and line:
            module = re.search(r'module="([^"]*)"', rest).group(1)
            imports[current].append((module, line, " exported" in rest))
        elif head in TYPE_HEADS and line and name:
            flags = QUOTED.sub("", rest).split()
            kind = "actor" if head == "class_decl" and "actor" in flags else TYPE_HEADS[head]
            local = any(h not in SCOPE_HEADS for _, h, _ in stack)
            qualified = ("<local>." + name) if local else ".".join([n for _, _, n in stack] + [name])
            types[current].append((kind, qualified, line))
        stack.append((indent, head, name))
    return types, imports, failed


def batches(paths, size=100):
    """Groups of files that swiftc takes in one run: no two with one file name."""
    pending = list(paths)
    while pending:
        batch, names, rest = [], set(), []
        for path in pending:
            name = os.path.basename(path)
            if len(batch) < size and name not in names:
                batch.append(path)
                names.add(name)
            else:
                rest.append(path)
        yield batch
        pending = rest


def if_regions(path):
    """Lines inside `#if` ... `#endif` blocks (the directive lines included)."""
    inside, depth = set(), 0
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, 1):
            stripped = text.strip()
            if stripped.startswith("#if"):
                depth += 1
            if depth:
                inside.add(number)
            if stripped.startswith("#endif"):
                depth = max(0, depth - 1)
    return inside


def canon_facts(canon, package):
    output = subprocess.run([canon, "facts", package, "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def compare(canon, package, show, shown):
    document = canon_facts(canon, package)
    root = os.path.abspath(package)
    files = {os.path.join(root, f["path"]): f for f in document["files"] if f["language"] == "swift"}
    errors = {os.path.join(root, e["path"]) for e in document["errors"] if e["path"].endswith(".swift")}
    tally = Counter()
    for batch in batches(sorted(files)):
        types, imports, failed = dump_parse(batch)
        for path in batch:
            if (path in failed or path not in types) and len(batch) > 1:
                # Alone, a file is a main file whose top-level code is allowed.
                types_alone, imports_alone, failed_alone = dump_parse([path])
                types[path], imports[path] = types_alone.get(path), imports_alone.get(path)
                if path in failed_alone:
                    failed.add(path)
                else:
                    failed.discard(path)
            if path in failed or types.get(path) is None:
                tally["swiftc_errors"] += 1
                continue
            skip = if_regions(path)
            facts = files[path]
            ours_types = Counter()
            for fact in facts["classes"]:
                line = fact["range"]["endLine"]
                if line in skip:
                    continue
                qualified = fact["qualifiedName"]
                if "<locals>" in qualified:
                    qualified = "<local>." + fact["name"]
                ours_types[(fact["kind"], qualified, line)] += 1
            theirs_types = Counter(t for t in types[path] if t[2] not in skip)
            ours_imports = Counter()
            for fact in facts["imports"]:
                if fact["range"]["line"] in skip:
                    continue
                module = fact["module"] + ("." + fact["name"] if fact.get("name") else "")
                ours_imports[(module, fact["range"]["line"], "_exported" in fact["attributes"])] += 1
            theirs_imports = Counter(i for i in imports[path] if i[1] not in skip)
            for kind, ours, theirs in (("types", ours_types, theirs_types), ("imports", ours_imports, theirs_imports)):
                tally[kind + "_both"] += sum((ours & theirs).values())
                only_ours, only_theirs = ours - theirs, theirs - ours
                tally[kind + "_canon_only"] += sum(only_ours.values())
                tally[kind + "_swiftc_only"] += sum(only_theirs.values())
                for item in list(only_ours.elements()) + list(only_theirs.elements()):
                    if shown[0] < show:
                        side = "canon only " if item in only_ours else "swiftc only"
                        print(f"    {side} {os.path.relpath(path, root)}: {item}")
                        shown[0] += 1
            tally["files"] += 1
    tally["canon_errors"] = len(errors)
    return tally


def agreement(tally, kind):
    both = tally[kind + "_both"]
    total = both + tally[kind + "_canon_only"] + tally[kind + "_swiftc_only"]
    return both / total if total else 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("canon")
    parser.add_argument("packages", nargs="+")
    parser.add_argument("--min-agreement", type=float, default=0.99)
    parser.add_argument("--show", type=int, default=10, help="how many disagreements to print")
    args = parser.parse_args()
    total = Counter()
    shown = [0]
    for package in args.packages:
        tally = compare(args.canon, package, args.show, shown)
        total.update(tally)
        print(f"{os.path.basename(os.path.abspath(package))}: {tally['files']} files, "
              f"types {tally['types_both']} agree / {tally['types_canon_only']} canon only / "
              f"{tally['types_swiftc_only']} swiftc only, imports {tally['imports_both']} / "
              f"{tally['imports_canon_only']} / {tally['imports_swiftc_only']}, "
              f"not parsed: canon {tally['canon_errors']}, swiftc {tally['swiftc_errors']}")
    types, imports = agreement(total, "types"), agreement(total, "imports")
    print(f"total: {total['files']} files; types agree {total['types_both']} "
          f"({types:.4%}), imports agree {total['imports_both']} ({imports:.4%}); "
          f"not parsed: canon {total['canon_errors']}, swiftc {total['swiftc_errors']}")
    if min(types, imports) < args.min_agreement:
        print(f"agreement is below {args.min_agreement:.2%}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
