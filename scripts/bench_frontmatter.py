#!/usr/bin/env python3
"""Loads an events folder with python-frontmatter, as a baseline for crier's catalog load.

    python3 scripts/bench_frontmatter.py SITE/events

Does what a small Python tool reading the same site would: parse every event file's front matter, follow
`schedule:` entries (`presentations/x.md`) to parse the presentations, and their `speakers:` to parse the
people files, each file once. It does less than `crier check` (no dates resolved, no talks read from
legacy bodies, no problems collected), so the speed-up measured against it is, if anything, understated.

Prints one line: events, talks, presentations and people read, and the seconds taken (from the first
file to the last, without the interpreter's start-up). Exits 1 if any file could not be read.
Needs `pip install python-frontmatter`; scripts/bench-catalog installs it in a virtualenv.
"""

import sys
import time
from pathlib import Path

import frontmatter

USAGE = "usage: bench_frontmatter.py SITE/events"


def main() -> int:
    if len(sys.argv) != 2:
        print(USAGE, file=sys.stderr)
        return 2
    events_dir = Path(sys.argv[1])
    # presentations/ and people/ sit beside the events folder, as for `crier check --events`.
    root = events_dir.parent

    start = time.perf_counter()
    people: dict[Path, object] = {}
    presentations: dict[Path, object] = {}
    failed: list[str] = []

    def load(path: Path):
        try:
            return frontmatter.load(path)
        except Exception as e:  # a bad file is reported, as crier reports it, and does not stop the run
            failed.append(f"{path}: {e}")
            return None

    def person(entry: str):
        path = root / entry
        if path not in people:
            people[path] = load(path)
        return people[path]

    def presentation(entry: str):
        path = root / entry
        if path not in presentations:
            post = load(path)
            presentations[path] = post
            if post is not None:
                for speaker in post.get("speakers") or []:
                    if isinstance(speaker, str) and speaker.endswith(".md"):
                        person(speaker)
        return presentations[path]

    events = 0
    talks = 0
    for path in sorted(events_dir.rglob("*.md")):
        post = load(path)
        if post is None:
            continue
        events += 1
        for entry in post.get("schedule") or []:
            if isinstance(entry, str) and entry.endswith(".md"):
                if presentation(entry) is not None:
                    talks += 1
        listed = post.get("talks")
        if isinstance(listed, list):
            talks += len(listed)
    elapsed = time.perf_counter() - start

    for line in failed:
        print(line, file=sys.stderr)
    print(
        f"{events} events, {talks} talks, {len(presentations)} presentations, "
        f"{len(people)} people in {elapsed:.3f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
