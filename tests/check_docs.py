#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the links and the generated-block markers of README.md and docs/*.md.

Fails when
- a relative link `[text](PATH#ANCHOR)` (images and `[label]: PATH` too)
  names a file that does not exist, or an anchor that no heading of the
  target Markdown file produces. Anchors follow GitHub: the heading's text,
  lower-cased, punctuation dropped except '-' and '_', spaces turned into
  '-'; a repeated heading gets -1, -2, ... Links with a scheme (https:,
  mailto:) are not checked.
- a `<!-- generated: CMD -->` marker names a script (a word of CMD that
  starts with scripts/, tools/, tests/, bench/ or fuzz/) that is not in the
  repository, or a program (a word, or the last part of a path such as
  build/release/tests/vact_tests, named vact_* or vact-*) that no
  CMakeLists.txt builds with add_executable: a table whose command is gone
  can no longer be regenerated.
- a generated block is not closed by `<!-- end generated -->` before the
  next marker or the end of the file, or an end marker has no block.

Code blocks and code spans are skipped when looking for links and markers.

Usage: check_docs.py <repository root>
"""
import functools
import os
import re
import sys
import urllib.parse

GENERATED = re.compile(r"^\s*<!--\s*generated:\s*(.*?)\s*-->\s*$")
END_GENERATED = re.compile(r"^\s*<!--\s*end generated\s*-->\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")
SCRIPT_DIRS = ("scripts/", "tools/", "tests/", "bench/", "fuzz/")
PROGRAM = re.compile(r"vact[_-][A-Za-z0-9_-]+")
ADD_EXECUTABLE = re.compile(r"add_executable\(\s*([A-Za-z0-9_.+-]+)")


def documents(root):
    """README.md and docs/*.md, as paths relative to root."""
    names = ["README.md"]
    docs = os.path.join(root, "docs")
    if os.path.isdir(docs):
        names += sorted(os.path.join("docs", n) for n in os.listdir(docs)
                        if n.endswith(".md"))
    return names


def prose_lines(lines):
    """(line number, line) for the lines outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(lines, 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading):
    """GitHub's anchor for a heading's Markdown text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # link text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


@functools.lru_cache(maxsize=None)
def anchors(path):
    """The anchors that the headings of the Markdown file at path produce."""
    lines = open(path, encoding="utf-8").read().splitlines()
    found, seen = set(), {}
    for _, line in prose_lines(lines):
        found.update(HTML_ANCHOR.findall(line))
        m = HEADING.match(line)
        if not m:
            continue
        base = slug(m.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def programs(root):
    """Target names of every add_executable in the repository's CMake files."""
    names = set()
    for directory, subdirs, files in os.walk(root):
        # Build trees (build/, build-*) hold fetched dependencies' CMake
        # files, which do not build vact's programs.
        subdirs[:] = [d for d in subdirs
                      if d != ".git" and not d.startswith("build")]
        for name in files:
            if name == "CMakeLists.txt" or name.endswith(".cmake"):
                text = open(os.path.join(directory, name),
                            encoding="utf-8", errors="replace").read()
                names.update(ADD_EXECUTABLE.findall(text))
    return names


def check_links(root, doc, lines, failures):
    checked = 0
    for number, line in prose_lines(lines):
        text = CODE_SPAN.sub("", line)
        targets = INLINE_LINK.findall(text)
        reference = REFERENCE_LINK.match(text)
        if reference:
            targets.append(reference.group(1))
        for target in targets:
            if SCHEME.match(target):
                continue
            checked += 1
            where = f"{doc}:{number}: link {target!r}"
            path, _, anchor = target.partition("#")
            path = urllib.parse.unquote(path)
            full = (os.path.normpath(os.path.join(root, os.path.dirname(doc),
                                                  path))
                    if path else os.path.join(root, doc))
            if not os.path.exists(full):
                failures.append(f"{where}: no file {os.path.relpath(full, root)}")
                continue
            if anchor and full.endswith(".md") and \
                    anchor not in anchors(full):
                failures.append(f"{where}: no heading in "
                                f"{os.path.relpath(full, root)} gives "
                                f"#{anchor}")
    return checked


def check_generated(root, doc, lines, known_programs, failures):
    blocks, open_at = 0, None
    for number, line in prose_lines(lines):
        m = GENERATED.match(line)
        if m:
            if open_at is not None:
                failures.append(f"{doc}:{open_at}: generated block not closed "
                                f"by <!-- end generated --> before line "
                                f"{number}")
            open_at = number
            blocks += 1
            for word in re.split(r"[\s,;()]+", m.group(1)):
                word = word.strip("`'\"")
                if word.startswith(SCRIPT_DIRS):
                    if not os.path.exists(os.path.join(root, word)):
                        failures.append(f"{doc}:{number}: generated by "
                                        f"{word}, which is not in the "
                                        f"repository")
                    continue
                program = word.rsplit("/", 1)[-1]
                if PROGRAM.fullmatch(program) and \
                        program not in known_programs:
                    failures.append(f"{doc}:{number}: generated by "
                                    f"{program}, which no add_executable "
                                    f"builds")
        elif END_GENERATED.match(line):
            if open_at is None:
                failures.append(f"{doc}:{number}: <!-- end generated --> "
                                f"without a <!-- generated: ... --> marker")
            open_at = None
    if open_at is not None:
        failures.append(f"{doc}:{open_at}: generated block not closed by "
                        f"<!-- end generated --> before the end of the file")
    return blocks


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    known_programs = programs(root)
    failures, links, blocks = [], 0, 0
    for doc in documents(root):
        lines = open(os.path.join(root, doc), encoding="utf-8").read() \
            .splitlines()
        links += check_links(root, doc, lines, failures)
        blocks += check_generated(root, doc, lines, known_programs, failures)
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        sys.exit(1)
    print(f"check_docs OK: {links} links, {blocks} generated blocks")


if __name__ == "__main__":
    main()
