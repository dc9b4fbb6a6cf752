#!/usr/bin/env python3
"""A small `canon serve` client using only Python's standard library.

  client.py check CANON ROOT   drives `CANON serve` on the project ROOT from a separate process: initialize, scan,
                               scanFile with edited content (the finding moved 10 lines down keeps its fingerprint),
                               1,000 malformed or random frames, then a valid request that must still be answered;
                               the server's resident memory must not grow without bound; then, on a small project of
                               its own, fixFile edits (LSP positions, UTF-16) that, applied to the buffer, leave no
                               fragmented_import finding on the next scanFile. Exits 1 on any failure.
  client.py bench [--new-class] CANON ROOT FILE [N [POLICY]]
                               times N (default 200) scanFile calls of FILE (relative to ROOT) with edited content
                               after one full scan, and prints the median, 95th percentile and maximum round trip.
                               The edit adds a comment line; with --new-class it appends a class of a new name
                               each call instead, which changes the module's top-level names.
  client.py differential CANON ROOT [STEPS [SEED]]
                               on a copy of ROOT, makes STEPS (default 12) edits that change what a module binds
                               (a class or function added or renamed, a star import, `__all__`), each sent with
                               scanFile and written to disk; after each, the findings scanFile gives for the edited
                               file and for files that import its module must equal those of a full `canon scan` of
                               the edited copy. Exits 1 on any difference.
"""
import json, os, queue, random, re, shutil, statistics, subprocess, sys, tempfile, threading, time


class Client:
    def __init__(self, canon):
        self.proc = subprocess.Popen([canon, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.inbox = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            line = out.readline()
            if not line:
                self.inbox.put(None)
                return
            if line.startswith(b"{"):
                self.inbox.put(json.loads(line))
            elif line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
                while out.readline() not in (b"\r\n", b"\n", b""):
                    pass
                self.inbox.put(json.loads(out.read(length)))

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message, framing="content-length"):
        body = json.dumps(message).encode()
        if framing == "content-length":
            self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        else:
            self.send_raw(body + b"\n")

    def request(self, id, method, params=None, framing="content-length", timeout=600):
        self.send({"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}, framing)
        return self.wait(id, timeout)

    def wait(self, id, timeout=600, notifications=None):
        deadline = time.time() + timeout
        while True:
            message = self.inbox.get(timeout=max(0.01, deadline - time.time()))
            if message is None:
                raise SystemExit(f"the server closed its output while waiting for {id!r}")
            if message.get("method") == "$/progress" and notifications is not None:
                notifications.append(message)
            if "method" not in message and message.get("id") == id:
                return message

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_ms(self):
        """The server's user plus system CPU time so far, in milliseconds."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def close(self):
        answer = self.request("bye", "shutdown")
        self.send({"jsonrpc": "2.0", "method": "exit"})
        self.proc.stdin.close()
        return answer, self.proc.wait(timeout=60)


failures = []


def expect(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def garbage_frames(count, seed=6):
    """Frames that are each malformed or meaningless, and each self-delimiting."""
    rng = random.Random(seed)
    frames = []
    for index in range(count):
        kind = index % 10
        if kind == 0:
            frames.append(bytes(rng.choice(b"{}[]:,\"abc0123 \t\\") for _ in range(rng.randint(1, 80))) + b"\n")
        elif kind == 1:
            frames.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))).replace(b"\n", b" ") + b"\n")
        elif kind == 2:
            body = b'{"jsonrpc": "2.0", "id": %d, "method": "scan"' % index
            frames.append(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif kind == 3:
            frames.append(rng.choice([b"Content-Length: abc", b"Content-Length: -4", b"Content-Length: 99999999999",
                                      b"Content-Type: x"]) + b"\r\n\r\n{}")
        elif kind == 4:
            frames.append(json.dumps(rng.choice([[], [1, 2], 3, "x", None, {"id": 1}, {"jsonrpc": "1.0", "id": 2, "method": "rules"},
                                                 {"jsonrpc": "2.0", "id": [1], "method": "rules"},
                                                 {"jsonrpc": "2.0", "id": 3, "method": 7}])).encode() + b"\n")
        elif kind == 5:
            frames.append(json.dumps({"jsonrpc": "2.0", "id": f"u{index}", "method": f"no/such/{index}"}).encode() + b"\n")
        elif kind == 6:
            frames.append(json.dumps({"jsonrpc": "2.0", "id": f"p{index}", "method": "scanFile",
                                      "params": {"path": rng.choice(["../../etc/passwd", "/etc/passwd", "file:///etc/passwd", 7]),
                                                 "content": "x = 1\n"}}).encode() + b"\n")
        elif kind == 7:
            frames.append(b"[" * rng.randint(600, 5000) + b"\n")
        elif kind == 8:
            frames.append(json.dumps({"jsonrpc": "2.0", "id": f"e{index}", "method": "explain",
                                      "params": rng.choice([{}, {"rule": "nope"}, {"rule": 3}, []])}).encode() + b"\n")
        else:
            frames.append(b"\xff\xfe" + bytes(rng.randrange(1, 256) for _ in range(rng.randint(0, 50))).replace(b"\n", b"") + b"\n")
    return frames


def apply_lsp_edits(text, edits):
    """Applies LSP text edits (0-based lines ending at \\n, \\r\\n or \\r; UTF-16 character offsets) to text."""
    starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]

    def index(position):
        start = starts[position["line"]]
        units, k = 0, start
        while units < position["character"]:
            units += 2 if ord(text[k]) > 0xFFFF else 1
            k += 1
        return k

    located = [(index(e["range"]["start"]), index(e["range"]["end"]), e["newText"]) for e in edits]
    for start, end, new in sorted(located, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def check_fix_file(canon):
    """fixFile on a project with a package that re-exports Order, and a buffer importing it from the module."""
    files = {
        "shop/__init__.py": "from shop.models import Order\n\n__all__ = ['Order']\n",
        "shop/models.py": "class Order:\n    pass\n",
        "billing/invoice.py": "from shop import Order\n",
        "billing/refund.py": "x = 1\n",
    }
    with tempfile.TemporaryDirectory() as root:
        for path, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as out:
                out.write(text)
        client = Client(canon)
        init = client.request(1, "initialize", {"rootPath": os.path.realpath(root)})
        capabilities = init.get("result", {}).get("capabilities", {})
        expect("fixFile" in capabilities.get("methods", []) and capabilities.get("positionEncoding") == "utf-16",
               "initialize lists fixFile and its UTF-16 positions")
        content = 'label = "\U0001F6D2"; from shop.models import Order\r\n\r\nprint(Order)\r\n'
        scanned = client.request(2, "scanFile", {"path": "billing/refund.py", "content": content})
        before = [f for f in scanned.get("result", {}).get("findings", []) if f["rule"] == "fragmented_import"]
        expect(len(before) == 1 and before[0].get("fixable") is True, "the buffer has one fixable fragmented_import finding")
        answer = client.request(3, "fixFile", {"path": "file://" + os.path.realpath(os.path.join(root, "billing/refund.py")),
                                               "content": content}, framing="line").get("result", {})
        edits = answer.get("edits", [])
        expect(answer.get("fixed") == 1 and answer.get("notFixable") == [] and len(edits) == 1,
               f"fixFile answers one edit fixing one finding ({answer})")
        fixed = apply_lsp_edits(content, edits)
        expect(fixed == 'label = "\U0001F6D2"; from shop import Order\r\n\r\nprint(Order)\r\n',
               "the edit, at UTF-16 offsets after an emoji, rewrites only the module")
        after = client.request(4, "scanFile", {"path": "billing/refund.py", "content": fixed})
        left = [f for f in after.get("result", {}).get("findings", []) if f["rule"] == "fragmented_import"]
        expect("result" in after and left == [], "scanFile of the fixed buffer reports no fragmented_import")
        outside = client.request(5, "fixFile", {"path": "../outside.py", "content": ""})
        expect(outside.get("error", {}).get("code") == -32602, "fixFile refuses a path outside the root with -32602")
        with open(os.path.join(root, "billing/refund.py"), encoding="utf-8") as source:
            expect(source.read() == "x = 1\n", "fixFile writes nothing")
        shutdown, code = client.close()
        expect(code == 0, f"the fixFile server exits with 0 (got {code})")


def check(canon, root):
    client = Client(canon)
    early = client.request(0, "rules")
    expect(early.get("error", {}).get("code") == -32002, "a request before initialize is refused with -32002")

    answer = client.request(1, "initialize", {"rootUri": "file://" + os.path.abspath(root)})
    expect(answer.get("result", {}).get("serverInfo", {}).get("name") == "canon", "initialize answers the server info")

    progress = []
    client.send({"jsonrpc": "2.0", "id": 2, "method": "scan", "params": {}})
    scan = client.wait(2, notifications=progress)
    findings = scan.get("result", {}).get("findings", [])
    expect(len(findings) > 0, f"scan answers findings ({len(findings)})")
    expect(set(scan.get("result", {})) >= {"summary", "findings", "errors"}, "scan answers the JSON report's shape")
    expect(len(progress) > 0 and all(p["params"]["token"] == 2 for p in progress), f"$/progress came during the scan ({len(progress)})")

    first = findings[0]
    with open(os.path.join(root, first["path"]), encoding="utf-8") as source:
        text = source.read()
    edited = client.request(3, "scanFile", {"path": first["path"], "content": "\n" * 10 + text}, framing="line")
    moved = [f for f in edited.get("result", {}).get("findings", []) if f["rule"] == first["rule"] and f["subject"] == first["subject"]]
    expect(len(moved) >= 1 and moved[0]["line"] == first["line"] + 10, "scanFile with 10 lines added reports the finding 10 lines down")
    expect(len(moved) >= 1 and moved[0]["fingerprint"] == first["fingerprint"], "the moved finding keeps its fingerprint")
    outside = client.request(4, "scanFile", {"path": "../outside.py", "content": ""})
    expect(outside.get("error", {}).get("code") == -32602, "a path outside the root is refused with -32602")

    before = client.rss_kib()
    for frame in garbage_frames(1000):
        client.send_raw(frame)
    client.send_raw(b"\r\n\r\n")
    after_answer = client.request(5, "rules", timeout=120)
    after = client.rss_kib()
    expect(isinstance(after_answer.get("result"), list) and after_answer["result"][0].get("id"),
           "after 1,000 malformed frames a valid request gets a valid answer")
    for frame in garbage_frames(1000, seed=7):
        client.send_raw(frame)
    client.send_raw(b"\r\n\r\n")
    client.request(6, "rules", timeout=120)
    again = client.rss_kib()
    print(f"      server memory: {before} KiB before, {after} KiB after 1,000 frames, {again} KiB after 2,000")
    expect(again - after < 32 * 1024, "memory does not grow with more malformed frames (under 32 MiB for the second 1,000)")

    shutdown, code = client.close()
    expect("result" in shutdown and shutdown["result"] is None, "shutdown answers null")
    expect(code == 0, f"exit after shutdown ends the process with 0 (got {code})")
    check_fix_file(canon)
    return 1 if failures else 0


def bench(canon, root, path, count, policy=None, new_class=False):
    client = Client(canon)
    params = {"rootPath": os.path.abspath(root)}
    if policy:
        params["policy"] = os.path.abspath(policy)
    client.request(1, "initialize", params)
    started = time.perf_counter()
    scan = client.request(2, "scan")
    print(f"scan: {scan['result']['summary']['files']} files, {len(scan['result']['findings'])} findings "
          f"in {(time.perf_counter() - started) * 1000:.0f} ms")
    with open(os.path.join(root, path), encoding="utf-8") as source:
        text = source.read()
    times = []
    cpu_before = client.cpu_ms()
    for index in range(count):
        started = time.perf_counter()
        content = text + f"\n\nclass CanonBenchEdit{index}:\n    pass\n" if new_class else f"# edit {index}\n" + text
        answer = client.request(10 + index, "scanFile", {"path": path, "content": content})
        times.append((time.perf_counter() - started) * 1000)
        assert "result" in answer, answer
    cpu = (client.cpu_ms() - cpu_before) / count
    times.sort()
    print(f"scanFile {path}: {count} calls, median {statistics.median(times):.1f} ms, server CPU {cpu:.1f} ms a call, "
          f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms, "
          f"{len(answer['result']['findings'])} findings, server RSS {client.rss_kib() // 1024} MiB")
    client.close()


def shape_edit(rng, text, step, imported=()):
    """An edit of a module's top-level names: a class or function added, one renamed (most often one that
    other files import), a star import, or an `__all__` naming a few of its names."""
    names = re.findall(r"^(?:class|def) ([A-Za-z_][A-Za-z0-9_]*)", text, re.M)
    used = [name for name in names if name in imported]

    def rename(name):
        return re.sub(rf"^(class|def) {name}\b", rf"\1 {name}_renamed{step}", text, count=1, flags=re.M)

    kind = rng.randrange(5)
    if used and rng.random() < 0.5:
        return rename(rng.choice(used))
    if kind == 0 or (kind == 1 and not names):
        return text + f"\n\nclass CanonDiffProbe{step}:\n    pass\n"
    if kind == 1:
        return rename(rng.choice(names))
    if kind == 2:
        return text + f"\n\ndef canon_diff_probe_{step}():\n    return None\n"
    if kind == 3 and names:
        return text + "\n__all__ = [" + ", ".join(repr(n) for n in rng.sample(names, min(3, len(names)))) + "]\n"
    return text + "\nfrom os.path import *\n"


def differential(canon, root, steps=12, seed=1):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as work:
        tree = os.path.join(work, "tree")
        shutil.copytree(root, tree, symlinks=True)
        paths = sorted(os.path.relpath(os.path.join(folder, name), tree)
                       for folder, _, names in os.walk(tree) for name in names if name.endswith(".py"))
        texts = {}

        def text_of(path):
            if path not in texts:
                with open(os.path.join(tree, path), encoding="utf-8", errors="surrogateescape") as source:
                    texts[path] = source.read()
            return texts[path]

        def importers(path):
            stem = os.path.splitext(os.path.basename(path))[0]
            last = os.path.basename(os.path.dirname(path)) if stem == "__init__" else stem
            pattern = re.compile(rf"^\s*(from\s+\S*\b{re.escape(last)}\b\S*\s+import|import\s+\S*\b{re.escape(last)}\b)", re.M)
            return [other for other in paths if other != path and pattern.search(text_of(other))]

        def key(finding):
            return (finding["rule"], finding["path"], finding["line"], finding["column"], finding["endLine"],
                    finding["endColumn"], finding["message"], finding.get("fingerprint"))

        def full_scan():
            run = subprocess.run([canon, "scan", tree, "--format", "json", "--cache-dir", os.path.join(work, "cache"),
                                  "--quiet"], capture_output=True)
            return json.loads(run.stdout)["findings"]

        client = Client(canon)
        client.request(1, "initialize", {"rootPath": os.path.realpath(tree)})
        client.request(2, "scan")
        previous = full_scan()
        packages = [path for path in paths if path.endswith("__init__.py")]
        compared = 0
        for step in range(steps):
            path = rng.choice(packages if step % 2 == 0 and packages else paths)
            imported = set()
            for other in importers(path)[:200]:
                for line in re.findall(r"^\s*from\s+\S+\s+import\s+\(?([^)\n]*)", text_of(other), re.M):
                    imported.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line))
            try:
                edited = shape_edit(rng, text_of(path), step, imported)
            except UnicodeError:
                continue
            texts[path] = edited
            with open(os.path.join(tree, path), "w", encoding="utf-8", errors="surrogateescape") as out:
                out.write(edited)
            expected = full_scan()
            # Where the edit changed findings is where a stale index would show; and a few files that import
            # the module, and two at random.
            now, before = {key(f) for f in expected}, {key(f) for f in previous}
            changed = sorted({k[1] for k in now ^ before})
            previous = expected
            others = importers(path)
            checked = list(dict.fromkeys([path] + changed + rng.sample(others, min(4, len(others))) + rng.sample(paths, 2)))
            for index, other in enumerate(checked):
                answer = client.request(100 * step + index + 10, "scanFile", {"path": other, "content": text_of(other)})
                got = sorted(key(f) for f in answer.get("result", {}).get("findings", []))
                want = sorted(key(f) for f in expected if f["path"] == other)
                compared += 1
                expect(got == want, f"step {step}: {other} after editing {path}" + (
                    "" if got == want else f"\n  only scanFile: {sorted(set(got) - set(want))}\n  only full scan: {sorted(set(want) - set(got))}"))
        client.close()
        print(f"{compared} files compared over {steps} edits")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "differential":
        sys.exit(differential(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 12,
                              int(sys.argv[5]) if len(sys.argv) > 5 else 1))
    if len(sys.argv) >= 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    new_class = "--new-class" in sys.argv
    if new_class:
        sys.argv.remove("--new-class")
    if len(sys.argv) >= 5 and sys.argv[1] == "bench":
        bench(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]) if len(sys.argv) > 5 else 200,
              sys.argv[6] if len(sys.argv) > 6 else None, new_class)
        sys.exit(0)
    sys.exit(__doc__)
