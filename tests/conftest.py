"""Shared fixtures. Tests that need the real FormalAI snapshot skip when ../shared is absent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from linter.corpus import Corpus

PROJECT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = PROJECT.parent / "shared" / "formalai"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/formalai is not present (fresh clone without the shared corpus)")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files")


@pytest.fixture(scope="session")
def shared_parsed(shared_corpus: Path) -> "Corpus":
    """The shared corpus with every document parsed once per test session (about 10 s)."""
    from linter.corpus import Corpus

    corpus = Corpus(shared_corpus)
    for p in corpus.paths:
        corpus.document(p)
    return corpus
