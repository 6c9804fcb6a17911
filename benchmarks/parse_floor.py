"""The markdown-it-py parse floor: read, decode and parse every Markdown file under ROOT with
the linter's own markdown-it configuration (plugins and options), and nothing else (no
model, no rules, no cache). It is markdown-it-py's full parse: the linter itself skips the
inline parse of plain-text content it never reads (`linter.document.parse._inline_where_read`).

    python benchmarks/parse_floor.py ROOT [--jobs N]

With --jobs N > 1 the files are spread over N processes the way `formalai-lint check` does
(largest first, a few in flight per worker), so the two are timed on equal terms.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linter.corpus import Corpus  # noqa: E402
from linter.document.encoding import decode  # noqa: E402
from linter.document.parse import _markdown  # noqa: E402


def parse_one(path: str) -> int:
    decoded = decode(Path(path).read_bytes())
    if decoded.encoding.error is not None:
        return 0
    return len(_markdown(full=True).parse(decoded.text))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    root = args.root.resolve()
    paths = sorted((str(root / p) for p in Corpus(root).paths), key=lambda p: -os.path.getsize(p))
    if args.jobs <= 1:
        tokens = sum(parse_one(p) for p in paths)
    else:
        with ProcessPoolExecutor(args.jobs, mp_context=get_context("fork")) as pool:
            tokens = sum(pool.map(parse_one, paths, chunksize=1))
    print(f"{len(paths)} files, {tokens} tokens")


if __name__ == "__main__":
    main()
