"""`formalai-lint init`: study a corpus and write the config and schemas it already follows.

`families` groups documents by folder and file-name pattern; `measure` reads each document
once into the few facts the inference needs; `infer` turns a family's facts into a schema
and the corpus's into rule settings, each with its evidence ("present in 143 of 155
documents"); `render` writes them as commented YAML; `trial` lints the corpus with the
result, so `init` can say how many documents pass as they stand. Every step is one pass
over the documents (counting in dicts), so the analysis is linear in the corpus size.

Layer: above `linter.run` (the trial runs the engine), below `linter.api` and the CLI.
"""

from __future__ import annotations

from .study import Study, study

__all__ = ["Study", "study"]
