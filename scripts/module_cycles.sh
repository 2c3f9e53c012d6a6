#!/usr/bin/env bash
# Prints the `crate::` import graph of each library crate of the workspace (one line per module: the modules it
# uses) and fails when modules import each other, directly or through others (a cycle), at either granularity:
# file modules (`recursion::fold`, `stark_frames::chunk::prover`) and top-level modules (`chunk`, `fixed`).
#
# Usage: scripts/module_cycles.sh [CRATE_SRC_DIR ...]   (default: every crate's src/ of the workspace)
# Exit status: 0 without a cycle, 1 with one (each is printed), 2 on a usage error.
#
# What counts as a use: every path starting with `crate::`, `super::` or `self::` outside comments and string
# literals (`use` trees with braces are expanded; paths in expressions count too), resolved to the deepest
# module that a file defines. Inline modules (`mod tests { use super::*; }`) resolve relative to themselves and
# belong to their file. `mod` declarations are not uses.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
    set -- stark-frames/src recursion/src decision/src cli/src
fi
for dir in "$@"; do
    if [ ! -d "$dir" ]; then
        echo "module_cycles.sh: no directory $dir" >&2
        exit 2
    fi
done

exec python3 - "$@" <<'PY'
import os
import re
import sys


def strip(text):
    """Text with comments and the contents of string and char literals blanked (lengths kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + 2 + len(hashes))
            end = n if end < 0 else end + 1 + len(hashes)
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:end]))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('"' + re.sub(r"[^\n]", " ", text[i + 1:j]) + '"')
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:]):
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            out.append(" " * len(m.group(0)))
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand(tree):
    """Paths of a `use` tree: `a::{b, c::{d, e}}` gives a::b, a::c::d, a::c::e."""
    tree = re.sub(r"\s+", "", tree)
    m = re.match(r"^(.*?)\{(.*)\}$", tree)
    if not m:
        return [tree.split(" as ")[0]]
    prefix, body = m.group(1), m.group(2)
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    return [p for part in parts if part for p in expand(prefix + part)]


def file_modules(src):
    """Module path (tuple) of every .rs file under src: lib.rs is (), a/mod.rs is (a,), a/b.rs is (a, b)."""
    mods = {}
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel[-1] == "mod" or rel in (["lib"], ["main"]):
                rel = rel[:-1]
            if rel and rel[0] == "bin":
                continue
            mods[tuple(rel)] = path
    return mods


def uses(path, module):
    """Absolute paths (tuples) this file refers to through crate::, super:: and self::."""
    text = strip(open(path, encoding="utf-8").read())
    # Inline modules: (name, brace depth at which they close).
    events = []
    for m in re.finditer(r"\bmod\s+(\w+)\s*\{", text):
        events.append((m.end() - 1, m.group(1)))
    inline_open = dict(events)
    stack, depth, scope_at = [], 0, []
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
            if i in inline_open:
                stack.append((inline_open[i], depth))
        elif ch == "}":
            if stack and stack[-1][1] == depth:
                stack.pop()
            depth -= 1
        scope_at.append(tuple(name for name, _ in stack))
    found = []
    refs = []
    for m in re.finditer(r"\buse\s+((?:crate|super|self)\b[^;]*);", text):
        refs.extend((m.start(), p) for p in expand(m.group(1)))
    for m in re.finditer(r"(?<![:\w])((?:crate|super|self)(?:::(?:super|\w+))+)", text):
        # Paths inside `use` statements were taken above, with their braces.
        line_start = text.rfind(";", 0, m.start())
        segment = text[line_start + 1:m.start()]
        if re.search(r"\buse\b", segment):
            continue
        refs.append((m.start(), m.group(1)))
    for at, p in refs:
        segs = [s for s in p.split("::") if s]
        base = list(module) + list(scope_at[at] if at < len(scope_at) else ())
        if segs[0] == "crate":
            cur, segs = [], segs[1:]
        else:
            cur = base
            while segs and segs[0] in ("super", "self"):
                if segs[0] == "super":
                    cur = cur[:-1]
                segs = segs[1:]
        found.append(tuple(cur + segs))
    return found


def resolve(path, mods):
    for k in range(len(path), -1, -1):
        if path[:k] in mods:
            return path[:k]
    return ()


def name(m):
    return "::".join(m) if m else "(crate root)"


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def pairs(graph, comp):
    """The edges inside a cycle, as `a -> b` lines."""
    s = set(comp)
    return [f"{name(a)} -> {name(b)}" for a in comp for b in sorted(graph.get(a, ())) if b in s]


failed = False
for src in sys.argv[1:]:
    mods = file_modules(src)
    graph = {m: set() for m in mods}
    for m, path in mods.items():
        for p in uses(path, list(m)):
            t = resolve(p, mods)
            if t != m:
                graph[m].add(t)
    top = {}
    for a, bs in graph.items():
        ta = a[:1]
        top.setdefault(ta, set())
        for b in bs:
            tb = b[:1]
            if tb != ta and ta and tb:
                top[ta].add(tb)
    print(f"== {src}: {len(mods)} modules")
    for m in sorted(graph):
        deps = ", ".join(name(d) for d in sorted(graph[m]))
        print(f"  {name(m)} -> {deps if deps else '-'}")
    found = [("module", graph, c) for c in cycles(graph)] + [("top-level module", top, c) for c in cycles(top)]
    for kind, g, comp in found:
        failed = True
        print(f"  CYCLE among {kind}s {', '.join(name(c) for c in comp)}:")
        for line in pairs(g, comp):
            print(f"    {line}")
    if not found:
        print("  no cycle")
sys.exit(1 if failed else 0)
PY
