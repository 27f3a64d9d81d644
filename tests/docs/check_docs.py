#!/usr/bin/env python3
"""Docs that stay true (docs/README.md says what each mark means).

Code blocks: every code block in README.md, docs/*.md and docs/zh/*.md is either run here and
its output compared (<!-- doc-test: NAME --> on the line before it) or marked <!-- example -->.

Figures in prose (outside code blocks): every money amount, count with a unit, hash and
file:line reference is checked (it occurs in the output of a <!-- check: COMMAND --> before its
paragraph, or in the output of a doc test of the same doc), measured (inside <!-- measured:
COMMAND; MACHINE --> ... <!-- /measured -->), cited (its line names its source: a URL, 《…》 or
a document number …号), or inside <!-- examples: WHY --> ... <!-- /examples -->. Every path to
a repository file and every markdown link must exist, every `sa CMD --option` must be in
`sa CMD --help`, every file:line must point at a line that exists.

Usage: check_docs.py SOURCE_DIR EMBED SA_CLI [DOC.md ...]
  EMBED: examples/embed, SA_CLI: the sa command. With DOC.md arguments only those files are
  checked (the checker's own test, tests/docs/test_checker.py).
"""
import atexit
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = ("\\.ci", "bench", "bindings", "cli", "cmake", "docs", "examples", "include", "libsa",
       "policies", "samples", "scripts", "tests")

# --- what a figure is (docs/README.md, "Figures") ------------------------------------------
MONEY = r"\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2}"
UNITS = (r"passed|failed|packs?|tests?|golden cases?|cases?|decisions?|households?|records?|"
         r"lines?|rules?|files?|regions?|counties|programs?|"
         r"ms|s|µs|us|ns|min|seconds?|minutes?|MB|MiB|GiB|KiB|GB|kB|KB|bytes?|%|×|/s|"
         r"元|户|人|个|条|份")
FIGURE = re.compile(
    r"(?<![\w.,/\-])(?<!\w[−+])(?:"
    r"(?P<money>" + MONEY + r")(?![\d]|\.\d)"
    r"|(?P<count>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s?(?P<unit>" + UNITS + r")(?![A-Za-z/])"
    r"|(?P<hash>(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,64})(?![\w])"
    r")")
FILE_LINE = re.compile(r"(?<![\w/.-])([\w][\w./-]*\.(?:c|h|inc|lua|py|md|yaml|yml|json|sh|txt|java|sql|"
                       r"cmake)):(\d+)(?::\d+)?")
PATH = re.compile(r"(?<![\w/.-])((?:" + "|".join(TOP) + r")/[\w./*{},+-]*)")
BASENAME = re.compile(r"`([\w.+-]+\.(?:c|h|inc|py|sh|java|sql))`")
CODE_SPAN = re.compile(r"`([^`]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
CITATION = re.compile(r"https?://|GB/T ?\d|《[^》]+》|号|〔\d{4}〕|办法|条例|通知|意见|规定|细则|公报|决定|\bnotices?\b")
OTHER_TOOLS = re.compile(r"\b(ctest|cmake|pytest|python3?|java|javac|mvn|psql|pg_\w+|valgrind|gcc|"
                         r"openssl|chromium|dask|sa-gen|sa-bench\w*|\.ci/run|scripts/\w+\.sh|"
                         r"git|make|fuzz_\w+|gdb|perf|time|callgrind|pip)\b")

MARK = re.compile(r"\s*<!--\s*(doc-test|output|input|example|examples|/examples|check|measured|/measured)"
                  r"\s*(?::\s*(.*?))?\s*-->\s*$")


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout


def first_json(text):
    i = text.index("\n{") + 1
    obj, end = json.JSONDecoder().raw_decode(text, i)
    return text[i:end]


def doc_tests(src, embed, cli):
    """NAME -> a function giving the text the block must hold."""
    return {
        # docs/decision.md: the example program's decision, pretty JSON
        "embed-json": lambda: first_json(run([embed], src)),
        # docs/decision.md: the schema_version a decision carries is the schema's
        "schema-version": lambda: '"schema_version": %d' % json.load(
            open(os.path.join(src, "docs", "decision.schema.json"), encoding="utf-8"))["properties"][
                "schema_version"]["const"],
        # README.md / docs: the sa command's usage
        "sa-usage": lambda: subprocess.run([cli], capture_output=True, text=True).stderr.rstrip("\n"),
    }


class Repo:
    """What the docs may name: tracked files, the sa command's options, command outputs."""

    def __init__(self, src, cli):
        self.src, self.cli = src, cli
        self.build = os.path.dirname(os.path.dirname(os.path.abspath(cli)))
        try:
            files = run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], src).split("\n")
        except (OSError, subprocess.CalledProcessError):
            files = [os.path.relpath(os.path.join(d, f), src) for d, _, fs in os.walk(src) for f in fs]
        self.files = set(f for f in files if f)
        self.basenames = set(os.path.basename(f) for f in self.files)
        self.dirs = set()
        for f in self.files:
            d = os.path.dirname(f)
            while d:
                self.dirs.add(d)
                d = os.path.dirname(d)
        # every identifier the C sources, headers, bindings and scripts spell
        self.words = set()
        for f in self.files:
            if (re.search(r"\.(c|h|inc|py|java|sql|lua|sh|txt|cmake)$", f) or "/" not in f) \
                    and not f.startswith("tests/docs/"):    # not the checker and its own test
                try:
                    with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fh:
                        self.words.update(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", fh.read()))
                except OSError:
                    pass
        usage = subprocess.run([cli], capture_output=True, text=True).stderr
        trailer = usage[usage.find("\nEvery command takes"):]
        self.common = set(re.findall(r"--[a-z][a-z-]*", trailer.split("LOG OPTIONS")[0]))
        self.log_options = set(re.findall(r"--[a-z][a-z-]*", trailer.split("LOG OPTIONS")[-1]))
        self.commands = set(re.findall(r"^\s+sa ([a-z]+)", usage, re.M))
        # every test any configuration may have (a sanitizer build leaves some out): the
        # add_test names of the CMake files, the unit tests by their sources, and ctest -N
        self.ctests = [os.path.basename(f)[:-2] for f in self.files if re.match(r"tests/unit/test_\w+\.c$", f)]
        for f in self.files:
            if f.endswith("CMakeLists.txt") or f.endswith(".cmake"):
                with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fh:
                    self.ctests += re.findall(r"add_test\(NAME ([\w-]+)", fh.read())
        try:
            self.ctests += re.findall(r"Test +#\d+: (\S+)", run(["ctest", "-N"], self.build))
        except (OSError, subprocess.CalledProcessError):
            pass
        self.help = {}
        self.outputs = {}
        self.bindir = tempfile.mkdtemp(prefix="check_docs.")
        atexit.register(shutil.rmtree, self.bindir, True)
        os.symlink(os.path.abspath(cli), os.path.join(self.bindir, "sa"))
        bench = os.path.join(self.build, "bench")
        for tool in ("sa-gen", "sa-bench"):
            if os.path.exists(os.path.join(bench, tool)):
                os.symlink(os.path.join(bench, tool), os.path.join(self.bindir, tool))

    def prototype(self, line):
        """True when line is a prototype of include/sa/ (blanks aside), else the header's
        prototype of the same name, or None."""
        if not hasattr(self, "protos"):
            text = " ".join(open(f, encoding="utf-8").read()
                            for f in sorted(glob.glob(os.path.join(self.src, "include", "sa", "*.h"))))
            text = re.sub(r"\s+", " ", re.sub(r"/\*.*?\*/", "", text, flags=re.S))
            self.protos = {}
            for p in re.findall(r"SA_API ([^;]+;)", text):
                m = re.search(r"(sa_\w+)\s*\(", p)
                if m:
                    self.protos[m.group(1)] = p.strip()
        m = re.search(r"(sa_\w+)\s*\(", line)
        if not m or m.group(1) not in self.protos:
            return None
        want = self.protos[m.group(1)]
        return True if re.sub(r"\s", "", want) == re.sub(r"\s", "", line) else want

    def options(self, cmd):
        if cmd not in self.help:
            out = subprocess.run([self.cli, cmd, "--help"], capture_output=True, text=True)
            text = out.stdout + out.stderr
            opts = set(re.findall(r"--[a-z][a-z-]*", text)) | self.common | {"--help"}
            if "LOG OPTIONS" in text:
                opts |= self.log_options
            self.help[cmd] = opts
        return self.help[cmd]

    def all_options(self):
        opts = set(self.common) | self.log_options | {"--help", "--version"}
        for c in self.commands:
            opts |= self.options(c)
        return opts

    def exists(self, rel):
        """Whether rel (globs allowed) names a tracked file or folder, a file inside some pack
        (tests/x.yaml) or a program of the build (bench/sa-gen)."""
        rel = rel.rstrip("/")
        if os.path.exists(os.path.join(self.build, rel)):
            return True
        pat = re.escape(rel).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
        pat = re.sub(r"\\\{([^}]*)\\\}", lambda m: "(" + m.group(1).replace(r"\,", "|").replace(",", "|") + ")", pat)
        rx = re.compile("(policies/[^/]+/)?" + pat + "(/.*)?$")
        return any(rx.match(f) for f in self.files)

    def headings(self, rel):
        """The markdown headings of a doc of the repository, or None."""
        path = os.path.join(self.src, rel)
        if not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as f:
            return [ln.strip() for ln in f if ln.startswith("#")]

    def lines_of_known(self, rel):
        """The length of the repository file rel names (a path or a unique tail), else None."""
        path = os.path.join(self.src, rel)
        if rel not in self.files:
            hits = [f for f in self.files if f.endswith("/" + rel)]
            if len(hits) != 1:
                return None
            path = os.path.join(self.src, hits[0])
        with open(path, encoding="utf-8", errors="replace") as f:
            return sum(1 for _ in f)

    def env(self):
        return dict(os.environ, PATH=self.bindir + os.pathsep + os.environ.get("PATH", ""),
                    SA_PACK_PATH=os.path.join(os.path.abspath(self.src), "policies"), LC_ALL="C.UTF-8")

    def feed(self, cmd, text):
        """Run cmd with text on its standard input: its exit status and output."""
        try:
            p = subprocess.run(["sh", "-c", cmd], cwd=self.src, input=text, capture_output=True, text=True,
                               env=self.env(), timeout=300)
            return p.returncode, p.stdout + p.stderr
        except subprocess.TimeoutExpired:
            return -1, "timed out"

    def output(self, cmd):
        if cmd not in self.outputs:
            env = self.env()
            try:
                p = subprocess.run(["sh", "-c", cmd], cwd=self.src, capture_output=True, text=True,
                                   env=env, timeout=300)
                self.outputs[cmd] = (p.stdout + p.stderr, None)
            except subprocess.TimeoutExpired:
                self.outputs[cmd] = ("", "timed out")
        return self.outputs[cmd]


def norm_number(s):
    return s.replace(",", "")


def occurs(fig, kind, text, unit=None):
    """Whether the figure occurs in a command's output: as a whole number (thousands separators
    ignored), and with its unit when the output writes that unit anywhere."""
    if kind == "hash":
        return fig in text
    num = re.escape(norm_number(fig))
    flat = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    u = "[×x]" if unit == "×" else re.escape(unit or "")   # "1.6 x" in a pack's comment is 1.6 ×
    if unit and re.search(r"(?<![A-Za-z])" + u + r"(?![A-Za-z])", flat):
        return re.search(r"(?<![\d.])" + num + r"(?:\.0+)?\s?" + u + r"(?![A-Za-z])", flat) is not None
    return re.search(r"(?<![\d.])" + num + r"(?!\d|\.\d)", flat) is not None


def excerpt_mismatch(body, out):
    """The index of the first line of body that does not match a line of out (after the line
    the previous one matched), or None. A line of "..." (or "…") alone skips any lines; inside
    a line it stands for any text; a line "$ COMMAND" (the command shown) and trailing blanks
    are ignored."""
    out_lines = [ln.rstrip() for ln in out.split("\n")]
    pos = 0
    for n, line in enumerate(body.split("\n")):
        t = line.rstrip().replace("…", "...")
        if not t.strip() or t.strip() == "..." or t.startswith("$ "):
            continue
        rx = re.compile(".*".join(re.escape(part) for part in t.split("...")) + "$")
        while pos < len(out_lines) and not rx.match(out_lines[pos]):
            pos += 1
        if pos == len(out_lines):
            return n
        pos += 1
    return None


def prose_spans(line):
    """The line with link targets blanked (their paths are checked as links)."""
    return LINK.sub(lambda m: "](" + " " * len(m.group(1)) + ")", line)


def check_file(path, src, repo, tests, problems, stats):
    rel = os.path.relpath(path, src)
    lines = open(path, encoding="utf-8").read().split("\n")
    # pass 1: code blocks (compared or examples), doc-test outputs, regions and checks
    code = [False] * len(lines)
    region = [None] * len(lines)         # "measured" / "examples"
    check_cmds = [[] for _ in lines]      # the check commands that cover each line
    doc_outputs = []
    open_region, open_at = None, 0
    pending = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            start, j = i, i + 1
            while j < len(lines) and not lines[j].lstrip().startswith("```"):
                j += 1
            for k in range(start, min(j + 1, len(lines))):
                code[k] = True
            body = "\n".join(lines[start + 1:j])
            k = start - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            mark = lines[k].strip() if k >= 0 else ""
            if j >= len(lines):
                problems.append(f"{rel}:{start + 1}: a code block that is never closed")
            if rel == "README.md" and k >= 0 and lines[k].startswith("# ") and "scripts/main.sh" in body:
                stats["examples"] += 1      # README starts with its two set-up commands
            elif re.fullmatch(r"<!-- input: .+ -->", mark):
                cmd = mark[len("<!-- input: "):-len(" -->")]
                stats["ran"] += 1
                rc, out = repo.feed(cmd, body + "\n")
                if rc != 0:
                    problems.append(f"{rel}:{start + 1}: the block is refused by {cmd} (exit {rc}):\n"
                                    + out.strip()[:600])
            elif mark == "<!-- doc-test: prototypes -->":
                stats["ran"] += 1
                for n, proto in enumerate(body.split("\n")):
                    if proto.strip() and repo.prototype(proto) is not True:
                        problems.append(f"{rel}:{start + 2 + n}: not a prototype of include/sa/: {proto.strip()}"
                                        + (f"\n  the header says: {repo.prototype(proto)}" if repo.prototype(proto) else ""))
            elif re.fullmatch(r"<!-- doc-test: ([a-z0-9-]+) -->", mark):
                name = mark[len("<!-- doc-test: "):-len(" -->")]
                if name not in tests:
                    problems.append(f"{rel}:{start + 1}: no doc test named {name}")
                else:
                    want = tests[name]().strip("\n")
                    doc_outputs.append(want)
                    stats["ran"] += 1
                    if want != body.strip("\n") and want not in body:
                        problems.append(f"{rel}:{start + 1}: the block differs from what doc test {name} "
                                        f"gives:\n{want}")
            elif re.fullmatch(r"<!-- output: .+ -->", mark):
                cmd = mark[len("<!-- output: "):-len(" -->")]
                out, err = repo.output(cmd)
                stats["ran"] += 1
                if err:
                    problems.append(f"{rel}:{k + 1}: the command {err}: {cmd}")
                else:
                    doc_outputs.append(out)
                    bad = excerpt_mismatch(body, out)
                    if bad is not None:
                        problems.append(f"{rel}:{start + 2 + bad}: this line of the block is not in the output "
                                        f"of {cmd} (in order; ... stands for left-out text)")
            elif mark == "<!-- example -->":
                stats["examples"] += 1
            else:
                problems.append(f"{rel}:{start + 1}: a code block neither run by a doc test "
                                f"(<!-- doc-test: NAME -->) nor marked <!-- example -->")
            pending = []
            i = j + 1
            continue
        m = MARK.match(line)
        if m:
            kind, arg = m.group(1), (m.group(2) or "").strip()
            code[i] = True
            if kind in ("measured", "examples"):
                if open_region:
                    problems.append(f"{rel}:{i + 1}: <!-- {kind} --> inside the {open_region} region "
                                    f"opened at line {open_at + 1}")
                if kind == "measured" and not re.fullmatch(r"[^;]+;\s*\S.*", arg):
                    problems.append(f"{rel}:{i + 1}: a measured region names its command and machine: "
                                    f"<!-- measured: COMMAND; MACHINE -->")
                if kind == "examples" and not arg:
                    problems.append(f"{rel}:{i + 1}: an examples region says why: <!-- examples: WHY -->")
                open_region, open_at = kind, i
            elif kind in ("/measured", "/examples"):
                if open_region != kind[1:]:
                    problems.append(f"{rel}:{i + 1}: <!-- {kind} --> closes no {kind[1:]} region")
                open_region = None
            elif kind == "check":
                if not arg:
                    problems.append(f"{rel}:{i + 1}: <!-- check: COMMAND --> without a command")
                else:
                    pending.append((arg, i))
            i += 1
            continue
        region[i] = open_region
        if re.match(r"( {4,}|\t)\S", line) and i > 0 and not lines[i - 1].strip():
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            if k >= 0 and not re.match(r"\s*([-*+]|\d+\.)\s|\s{2,}|<!--", lines[k]):
                problems.append(f"{rel}:{i + 1}: an indented code block: fence it (```) and mark it "
                                f"(docs/README.md)")
        if not line.strip():
            if pending and i > 0 and not MARK.match(lines[i - 1]) and lines[i - 1].strip():
                pending = []
            i += 1
            continue
        if pending:
            check_cmds[i] = list(pending)
        i += 1
    if open_region:
        problems.append(f"{rel}:{open_at + 1}: the {open_region} region is never closed")

    # pass 2: figures, paths, options, links in prose
    doc_out = "\n".join(doc_outputs)
    for i, raw in enumerate(lines):
        if code[i]:
            continue
        where = f"{rel}:{i + 1}"
        if raw.rstrip().endswith("<!-- example -->"):
            region[i] = "examples"      # one line of made-up values, marked at its end
        in_examples = region[i] == "examples"
        line = prose_spans(raw)
        # links
        for target in LINK.findall(raw):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            t = target.split("#")[0]
            full = os.path.normpath(os.path.join(os.path.dirname(rel), t))
            if t and not repo.exists(full) and not in_examples:
                problems.append(f"{where}: the link {target} points at nothing ({full} does not exist)")
        # sections named: docs/x.md §5.3, docs/x.md, "Title" (a heading of that doc)
        for target, sec, title in re.findall(r'(docs/[\w/-]+\.md)(?:,? §(\d+(?:\.\d+)*)|,? "([^"]+)")', raw):
            heads = repo.headings(target)
            if heads is None or in_examples:
                continue
            if sec and not any(re.match(r"#+ *(§ *)?" + re.escape(sec) + r"[. ]", h) for h in heads):
                problems.append(f"{where}: {target} has no section §{sec}")
            if title and not any(title in h for h in heads):
                problems.append(f"{where}: {target} has no heading \"{title}\"")
        # file:line
        fl_spans = []
        for m in FILE_LINE.finditer(line):
            fl_spans.append(m.span())
            f, n = m.group(1), int(m.group(2))
            if in_examples:
                continue
            count = repo.lines_of_known(f)
            if count is not None and n > count:
                problems.append(f"{where}: {m.group(0)} points past the end of {f} ({count} lines)")
        # paths
        if not in_examples:
            for m in PATH.finditer(line):
                p = m.group(1).rstrip(".,;:)")
                if "<" in raw[m.end():m.end() + 1] or re.search(r"[A-Z]{3,}", p) and not repo.exists(p):
                    continue            # a placeholder such as policies/<id>/ or cn-XXXX
                if not repo.exists(p):
                    problems.append(f"{where}: {p} does not exist in the repository")
            for b in BASENAME.findall(line):
                if (b not in repo.basenames and not re.search(r"[A-Z]{3,}", b)
                        and not glob.glob("/usr/include/" + b) and not glob.glob("/usr/include/*/" + b)):
                    problems.append(f"{where}: no file named {b} in the repository")
        # C names: sa_* functions and types, SA_* constants must be spelled somewhere in the code
        # (a line saying what was removed names what is gone)
        if not in_examples and "removed" not in raw:
            for span in CODE_SPAN.findall(line):
                for name in re.findall(r"(?<![\w.])((?:sa|SA)_[A-Za-z0-9_]+)(?![\w*<{])", span):
                    if name not in repo.words and not name.endswith("_"):
                        problems.append(f"{where}: {name} is not defined anywhere in the code")
        # tests named: ctest NAME, ctest -R REGEX, `NAME` (ctest ...), cmocka test functions
        if not in_examples and repo.ctests:
            named = (re.findall(r"ctest -R `?([^`\s)]+)", raw) + re.findall(r"ctest (?:as )?`([\w-]+)`", raw)
                     + re.findall(r"`(\w+)` \(ctest", raw))
            for t in named:
                if t != "NAME" and not any(re.search(t, c) for c in repo.ctests):
                    problems.append(f"{where}: no ctest test is named {t} (ctest -N)")
            for span in CODE_SPAN.findall(line):
                for name in re.findall(r"(?<![\w.])(test_\w+__\w+)", span):
                    if name not in repo.words:
                        problems.append(f"{where}: no test function {name} in the code")
        # options
        if not in_examples:
            for span in CODE_SPAN.findall(line):
                words = span.split()
                if words and words[0] == "sa" and len(words) > 1 and words[1] in repo.commands:
                    known = repo.options(words[1])
                    for w in words[2:]:
                        o = w.split("=")[0].rstrip(",.;)")
                        if re.fullmatch(r"--[a-z][a-z-]*", o) and o not in known:
                            problems.append(f"{where}: `sa {words[1]}` has no option {o} (sa {words[1]} --help)")
                elif (words and re.fullmatch(r"--[a-z][a-z-]*(=.*)?", words[0])
                      and not OTHER_TOOLS.search(" ".join(lines[max(0, i - 4):i + 4]))
                      and re.search(r"`sa |\bsa (" + "|".join(repo.commands) + r")\b", raw)):
                    o = words[0].split("=")[0]
                    if o not in repo.all_options():
                        problems.append(f"{where}: the sa command has no option {o}")
        # figures
        for m in FIGURE.finditer(line):
            if any(a <= m.start() < b for a, b in fl_spans):
                continue
            kind = "money" if m.group("money") else "hash" if m.group("hash") else "count"
            if (kind == "count" and re.fullmatch(r"(golden )?(pack|test|case|decision|household|record|line|rule|"
                                                  r"file|region|program)", m.group("unit"))
                    and norm_number(m.group("count")) != "1"):
                continue            # "the 2025 decision": a number before a singular noun names, not counts
            fig = m.group(kind)
            text = m.group(0)
            if region[i] in ("measured", "examples"):
                stats["measured" if region[i] == "measured" else "example_figs"] += 1
                continue
            if CITATION.search(raw):
                stats["cited"] += 1
                continue
            if check_cmds[i]:
                found, errs = False, []
                for cmd, at in check_cmds[i]:
                    out, err = repo.output(cmd)
                    if err:
                        errs.append(f"{rel}:{at + 1}: the check command {err}: {cmd}")
                    elif occurs(fig, kind, out, m.group("unit")):
                        found = True
                if found:
                    stats["checked"] += 1
                else:
                    problems.extend(errs)
                    problems.append(f"{where}: {text} is not in the output of the check "
                                    + "; ".join(c for c, _ in check_cmds[i]))
                continue
            if doc_out and occurs(fig, kind, doc_out, m.group("unit")):
                stats["checked"] += 1
                continue
            problems.append(f"{where}: the figure {text} is neither checked, measured nor cited "
                            f"(docs/README.md, \"Figures\")")
    # file:line references are figures too: checked, measured, cited or examples
    for i, raw in enumerate(lines):
        if code[i] or region[i] in ("measured", "examples"):
            continue
        for m in FILE_LINE.finditer(prose_spans(raw)):
            if repo.lines_of_known(m.group(1)) is None:
                continue            # the form of a message about a user's file, not a place in the repository
            if check_cmds[i] and any(m.group(0) in repo.output(c)[0] for c, _ in check_cmds[i]):
                stats["checked"] += 1
            else:
                problems.append(f"{rel}:{i + 1}: the line reference {m.group(0)} goes stale with any edit: "
                                f"name the function instead, or check or measure it (docs/README.md)")


def main():
    src, embed, cli = sys.argv[1], sys.argv[2], sys.argv[3]
    tests = doc_tests(src, embed, cli)
    repo = Repo(src, cli)
    if len(sys.argv) > 4:
        files = sys.argv[4:]
    else:
        files = [os.path.join(src, "README.md")] + sorted(
            glob.glob(os.path.join(src, "docs", "*.md")) + glob.glob(os.path.join(src, "docs", "zh", "*.md")))
    problems = []
    stats = dict(ran=0, examples=0, example_figs=0, checked=0, measured=0, cited=0)
    for path in files:
        check_file(path, src, repo, tests, problems, stats)
    for p in problems:
        print(p)
    print(f"docs: {stats['ran']} blocks checked by running, {stats['examples']} marked as examples; "
          f"figures: {stats['checked']} checked, {stats['measured']} measured, {stats['cited']} cited, "
          f"{stats['example_figs']} in examples; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
