#!/usr/bin/env python3
"""Checks that every file, class and link the docs name exists in the tree.

Usage, from the repository root: python3 scripts/check-docs.py [FILE.md ...]
(default: README.md, docs/*.md, test-data/README.md). Prints each dangling name with the doc and
line that mention it; exits 1 if there is any.
"""
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
files = subprocess.run(
    ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
    cwd=root, capture_output=True, text=True, check=True).stdout.split()
paths = set(files)
for f in files:  # every directory of a tracked file
    p = pathlib.PurePosixPath(f).parent
    while str(p) != ".":
        paths.add(str(p))
        p = p.parent
basenames = {pathlib.PurePosixPath(f).name for f in files}
sources = {}  # simple name of a .java file -> its text, to check Type.member references
for f in files:
    if f.endswith(".java"):
        sources.setdefault(pathlib.PurePosixPath(f).stem, []).append(f)


def has_member(type_name, member):
    return any(re.search(r"\b" + re.escape(member) + r"\b", (root / f).read_text(errors="replace"))
               for f in sources.get(type_name, []))
java_types = set()  # declared in the tree, or imported from a library (so it exists there)
for f in files:
    if f.endswith(".java"):
        text = (root / f).read_text(errors="replace")
        java_types.update(re.findall(
            r"\b(?:class|interface|enum|record|@interface)\s+([A-Z]\w*)", text))
        java_types.update(re.findall(r"^import (?:static )?[\w.]*?\.([A-Z]\w*)", text, re.M))
# Outputs of a run (not in the tree) and media types are names, not files.
NOT_FILES = re.compile(r"^(application|text)/|^(report\.json|broker-dump\.sql|logs|secrets)$")
# Paths inside other projects (the sources of test-data/), named as such.
EXTERNAL = re.compile(r"^(smdpp-data|testdata)/")

CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
TYPE = re.compile(r"^([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)(?:[.#(][\w.#()]*)?$")
PATH = re.compile(r"^[\w.\-/{}*]+\.(?:java|md|sh|yml|yaml|sql|xml|json|der|pem|properties|py)$"
                  r"|^[\w.\-]+/[\w.\-/]*$")


def exists_path(doc, token):
    token = token.rstrip("/")
    if "*" in token or "{" in token or "<" in token or token.endswith("..."):
        return True  # a pattern, not a name
    if token in paths or token in basenames or NOT_FILES.search(token):
        return True
    if any(p.endswith("/" + token) or p.endswith("/" + token + ".java") for p in paths):
        return True
    rel = (doc.parent / token).resolve()
    try:
        rel = rel.relative_to(root)
    except ValueError:
        return False
    return str(rel) in paths or str(rel) == "."


def check(doc):
    bad = []
    for n, line in enumerate(doc.read_text().splitlines(), 1):
        for link in LINK.findall(line):
            if re.match(r"^[a-z]+:", link):
                continue
            if not exists_path(doc, link):
                bad.append((n, link))
        for token in CODE.findall(line):
            token = token.strip()
            m = TYPE.match(token)
            if m and m.group(1) not in java_types and m.group(1) + ".java" not in basenames:
                bad.append((n, token))
            elif m and m.group(1) in sources:
                member = re.match(r"^[A-Z]\w*[.#](\w+)", token)
                if member and not member.group(1)[0].isupper() and not has_member(
                        m.group(1), member.group(1)):
                    bad.append((n, token))
            elif (not m and PATH.match(token) and not token.startswith(("http", "/", "~", "-"))
                  and not EXTERNAL.match(token) and not token.split("/")[0].isupper()):
                if "/" in token or "." in token.split("/")[-1]:
                    if not exists_path(doc, token) and token.split("/")[-1] not in basenames:
                        bad.append((n, token))
    return bad


docs = [root / a for a in sys.argv[1:]] or sorted(
    [root / "README.md", root / "test-data/README.md", *(root / "docs").glob("*.md")])
failed = False
for d in docs:
    for n, token in check(d):
        failed = True
        print(f"{d.relative_to(root)}:{n}: {token}")
sys.exit(1 if failed else 0)
