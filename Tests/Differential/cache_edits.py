#!/usr/bin/env python3
"""Differential test of Canon's scan cache on a real tree.

  cache_edits.py CANON ROOT [STEPS [SEED]]

On a copy of ROOT (every file's time set a day back, so unchanged files are taken from the cache by their stamp),
makes STEPS (default 12) random edits, one at a time: an import line copied from another file appended, a class
of another file's name appended (a duplicate), a line deleted, a name that another file imports renamed where it
is defined (the importer's findings change, though the importer did not), a class another file imports made a
singleton by a base (so are its subclasses, wherever they are), a file copied beside itself (every
definition twice), a file removed, a comment appended (no fact changes), a file rewritten with the same bytes,
bytes that are not UTF-8 put in front. After each, `CANON scan --format json` with the copy's own cache must print the same
bytes as `CANON scan --no-cache`; every other step the cached scan runs twice (the second takes everything from
the cache). Exits 1 on any difference, naming the step and the edit.
"""
import os, random, re, shutil, subprocess, sys, tempfile, time


def main(canon, root, steps=12, seed=1):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as work:
        tree = os.path.join(work, "tree")
        shutil.copytree(root, tree, symlinks=True)
        day_ago = time.time() - 86_400
        paths = []
        for folder, _, names in os.walk(tree):
            for name in names:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    os.utime(path, (day_ago, day_ago))
                if name.endswith(".py"):
                    paths.append(os.path.relpath(path, tree))
        paths.sort()

        def read(path):
            with open(os.path.join(tree, path), "rb") as source:
                return source.read()

        def write(path, data, step):
            full = os.path.join(tree, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as target:
                target.write(data)
            # A second past the last step's time: a stamp of its own, never racy.
            os.utime(full, (day_ago + step, day_ago + step))

        def scan(*flags):
            run = subprocess.run([canon, "scan", tree, "--format", "json", "--quiet", "--exit-zero", *flags],
                                 capture_output=True)
            if run.returncode != 0:
                sys.exit(f"canon scan {' '.join(flags)} exited {run.returncode}: {run.stderr.decode(errors='replace')}")
            return run.stdout

        def imported_definition(importer, rng, classes=False):
            """A file of the tree that defines a name `importer` imports with `from M import N`, and a pattern that
            finds the definition (with `classes`, a class's line up to its bases, `class N(` or `class N:`); None
            when there is none."""
            found = []
            for module, names in re.findall(rb"^from\s+([\w.]+)\s+import\s+([\w, ]+)$", importer, re.M):
                base = os.path.join(*module.decode().split("."))
                for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                    if candidate not in paths:
                        continue
                    for name in re.findall(rb"\w+", names):
                        pattern = re.compile(
                            rb"^class\s+" + name + rb"\s*[(:]" if classes else rb"^(?:class|def)\s+" + name + rb"\b|^" + name + rb"(?=\s*=)",
                            re.M)
                        if pattern.search(read(candidate)):
                            found.append((candidate, pattern))
            return rng.choice(found) if found else None

        cache = ["--cache-dir", os.path.join(work, "cache")]
        scan(*cache)
        failures = 0
        for step in range(1, steps + 1):
            path = rng.choice(paths)
            other = rng.choice(paths)
            kind = rng.choice(["import", "duplicate", "delete-line", "rename", "singleton-base", "copy-file", "remove-file",
                               "comment", "same-bytes", "not-utf8"])
            if kind in ("rename", "singleton-base"):
                renamed = imported_definition(read(other), rng, classes=kind == "singleton-base")
                if renamed:
                    path = renamed[0]
                else:
                    kind = "import"
            data = read(path)
            if kind == "rename":
                write(path, renamed[1].sub(lambda match: match.group(0) + b"_renamed", data, count=1), step)
            elif kind == "singleton-base":
                def based(match):
                    line = match.group(0)
                    return line[:-1] + b"(SingletonMixin):" if line.endswith(b":") else line + b"SingletonMixin, "
                write(path, renamed[1].sub(based, data, count=1), step)
            elif kind == "import":
                lines = re.findall(rb"^(?:from\s+\S+\s+import\s+[\w, ]+|import\s+[\w.]+)$", read(other), re.M)
                write(path, data + b"\n" + (rng.choice(lines) if lines else b"import os") + b"\n", step)
            elif kind == "duplicate":
                names = re.findall(rb"^class\s+(\w+)", read(other), re.M)
                write(path, data + b"\n\nclass " + (rng.choice(names) if names else b"Manager") + b":\n    pass\n", step)
            elif kind == "delete-line":
                lines = data.split(b"\n")
                del lines[rng.randrange(len(lines))]
                write(path, b"\n".join(lines), step)
            elif kind == "copy-file":
                copy = path[:-3] + f"_copy{step}.py"
                write(copy, data, step)
                paths.append(copy)
                path = copy
            elif kind == "remove-file":
                os.remove(os.path.join(tree, path))
                paths.remove(path)
            elif kind == "comment":
                write(path, data + b"\n# edited\n", step)
            elif kind == "same-bytes":
                write(path, data, step)
            else:
                write(path, b"\xff\xfe" + data, step)
            cached, full = scan(*cache), scan("--no-cache")
            same = cached == full
            if same and step % 2 == 0:
                same = scan(*cache) == full
            print(f"step {step}: {kind} {path}: {'same' if same else 'DIFFERENT'}", flush=True)
            failures += not same
        print(f"{steps - failures} of {steps} steps: cached scans equal full scans")
        return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], *(int(arg) for arg in sys.argv[3:5])))
