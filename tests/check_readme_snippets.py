#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that marked code blocks of README.md and docs/*.md are copies.

A fenced block right after a line `<!-- verbatim: PATH -->` must consist of
lines of the file PATH (relative to the repository root), in the same order
(a block may skip lines of the file, but it may not change, add or reorder
any). Lines are compared without their indentation; blank lines and a line
`...` in the block are not checked. So the
consumer snippets in the README and docs/usage.md are exactly what
tests/consumers/ builds.

Usage: check_readme_snippets.py <repository root>
"""
import os
import re
import sys

MARKER = re.compile(r"^<!--\s*verbatim:\s*(\S+)\s*-->\s*$")


def blocks(readme_lines):
    """(line number, path, block lines) for each marked block."""
    i = 0
    while i < len(readme_lines):
        m = MARKER.match(readme_lines[i])
        i += 1
        if not m:
            continue
        if i >= len(readme_lines) or not readme_lines[i].startswith("```"):
            yield i, m.group(1), None
            continue
        start = i
        i += 1
        body = []
        while i < len(readme_lines) and not readme_lines[i].startswith("```"):
            body.append(readme_lines[i])
            i += 1
        i += 1
        yield start + 1, m.group(1), body


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    documents = ["README.md"]
    if os.path.isdir(os.path.join(root, "docs")):
        documents += sorted(os.path.join("docs", name)
                            for name in os.listdir(os.path.join(root, "docs"))
                            if name.endswith(".md"))
    failures, checked = [], 0
    for document in documents:
        lines = open(os.path.join(root, document),
                     encoding="utf-8").read().splitlines()
        checked += check(root, document, lines, failures)
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        sys.exit(1)
    if checked == 0:
        sys.exit("FAIL: no <!-- verbatim: PATH --> blocks in README.md or "
                 "docs/*.md")
    print(f"readme_snippets OK: {checked} blocks are verbatim copies")


def check(root, document, lines, failures):
    """Checks the marked blocks of one document; returns how many it has."""
    checked = 0
    for line_no, path, body in blocks(lines):
        where = f"{document}:{line_no} ({path})"
        if body is None:
            failures.append(f"{where}: marker not followed by a ``` block")
            continue
        try:
            source = open(os.path.join(root, path), encoding="utf-8")
        except OSError as e:
            failures.append(f"{where}: {e}")
            continue
        source_lines = [l.strip() for l in source.read().splitlines()]
        position = 0
        for offset, line in enumerate(body):
            line = line.strip()
            if not line or line == "...":
                continue
            try:
                position = source_lines.index(line, position) + 1
            except ValueError:
                failures.append(f"{document}:{line_no + 1 + offset}: not a "
                                f"line of {path} (in order): {line!r}")
                break
        checked += 1
    return checked


if __name__ == "__main__":
    main()
