"""Where a cold check's time goes, per step, in one process (no pool, no cache).

    python benchmarks/phases.py ROOT [--rules]

Times, over every Markdown file under ROOT: decoding, markdown-it-py's full parse (what the
benchmark's parse floor runs), the parse as the linter runs it (inline parsing only where the
model reads it), building the document model from the tokens, each per-document rule (with
--rules, else all together), encoding the cache entry, and the cross-file rules once at the
end. Ratios are to the full parse. The garbage collector is tuned as the CLI tunes it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linter.document import parse as parse_mod  # noqa: E402
from linter.cli.main import tune_gc  # noqa: E402
from linter.api import make_corpus  # noqa: E402
from linter.config.files import load_config  # noqa: E402
from linter.document.encoding import decode  # noqa: E402
from linter.run.engine import active_rules, check_document, lint_corpus_rules, schema_function  # noqa: E402
from linter.run.entry import encode_entry  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--rules", action="store_true", help="time each per-document rule")
    args = ap.parse_args()
    tune_gc()
    root = args.root.resolve()
    config = load_config(root, None)
    rules = active_rules(config)
    schema_for = schema_function(config, root)
    corpus = make_corpus(root, config)
    md = parse_mod._markdown()
    full = parse_mod._markdown(full=True)
    real_parse = md.parse
    t: dict[str, float] = defaultdict(float)

    def timed_parse(text: str, env: object = None) -> object:
        start = time.perf_counter()
        try:
            return real_parse(text, env)  # type: ignore[arg-type]
        finally:
            t["2 markdown-it parse, as the linter runs it"] += time.perf_counter() - start

    md.parse = timed_parse  # type: ignore[method-assign, assignment]
    docs = []
    for path in corpus.paths:
        data = corpus.read(path)
        assert data is not None
        s = time.perf_counter()
        decoded = decode(data, config.max_bytes)
        t["1 decode"] += time.perf_counter() - s
        if decoded.encoding.error is not None:
            continue
        s = time.perf_counter()
        full.parse(decoded.text)
        t["1 markdown-it full parse (the floor)"] += time.perf_counter() - s
        s = time.perf_counter()
        doc = parse_mod.parse_text(decoded.text, path, decoded.encoding)
        t["3 model"] += time.perf_counter() - s
        lines = decoded.text.split("\n")
        schema = schema_for(path) if schema_for else None
        found = []
        if args.rules:
            for r in rules:
                s = time.perf_counter()
                found += check_document(doc, lines, [r], schema)
                t[f"4 rule {r.rule.id}"] += time.perf_counter() - s
        else:
            s = time.perf_counter()
            found = check_document(doc, lines, rules, schema)
            t["4 per-document rules"] += time.perf_counter() - s
        s = time.perf_counter()
        encode_entry("k", doc)  # the model entry (findings have entries of their own since the cache split)
        t["5 encode entry"] += time.perf_counter() - s
        corpus.add(doc)
        docs.append(doc)
    t["3 model"] -= t["2 markdown-it parse, as the linter runs it"]
    s = time.perf_counter()
    lint_corpus_rules(corpus, corpus.paths, rules)
    t["6 cross-file rules"] += time.perf_counter() - s
    floor = t["1 markdown-it full parse (the floor)"]
    for name in sorted(t, key=lambda n: (n[0], -t[n])):
        if t[name] >= 0.005:
            print(f"{name:42} {t[name]:7.3f} s  {t[name] / floor:6.3f}x floor")
    ours = sum(v for k, v in t.items() if not k.startswith("1 markdown-it full"))
    print(f"{'total (a cold check in one process)':42} {ours:7.3f} s  {ours / floor:6.3f}x floor")


if __name__ == "__main__":
    main()
