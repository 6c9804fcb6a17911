"""Print how `formalai-lint init` compares with the hand-written FormalAI preset on a corpus
(default ../shared/formalai): python scripts/init_vs_preset.py [ROOT]."""

from __future__ import annotations

import sys
from pathlib import Path

from linter import lint_paths
from linter.infer.compare import agreement, table
from linter.infer.study import convention_free, root_corpus, study, summary
from linter.schema import load_preset


def main(root: Path) -> None:
    result = study(root_corpus(root))
    print("\n".join(summary(result)))
    shipped = lint_paths([root], root=root, config_file=None)
    assert shipped.config is not None and shipped.config.preset == "formalai", "expected a FormalAI corpus"
    rows = agreement(load_preset("formalai"), root_corpus(root).paths, result.families, shipped.diagnostics,
                     result.findings, convention_free())
    print(table(rows))
    free = convention_free()
    print(f"convention findings, whole corpus: shipped preset {sum(d.rule_id not in free for d in shipped.diagnostics)}, "
          f"inferred {sum(d.rule_id not in free for d in result.findings)}; convention-free findings: "
          f"{sum(d.rule_id in free for d in shipped.diagnostics)} and {sum(d.rule_id in free for d in result.findings)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent.parent / "shared" / "formalai"))
