"""External links of the real FormalAI snapshot: what `--external` would check (nothing is fetched).

Figures measured on ../shared/formalai: guide/corpus.md section 4 counts what is written as a
link ("external 235, all https; 165 are autolinks"); GitHub also links 12 bare URLs (GFM
extended autolinks, all in archive/other-reports/DATA_SOURCES.md), which the model has too.
Skips cleanly when the snapshot is absent.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from linter.external import Options, collect_urls
from linter.external.safety import normalise, target

if TYPE_CHECKING:
    from linter.corpus import Corpus


def test_external_links_of_the_real_corpus(shared_parsed: Corpus) -> None:
    docs = [d for p in shared_parsed.paths if (d := shared_parsed.document(p)) is not None]
    links = [(d.path, link) for d in docs for link in d.links if link.kind == "external"]
    assert len(links) == 235 + 12
    assert sum(link.autolink for _, link in links) == 165 + 12
    assert len({p for p, _ in links}) == 52
    urls = collect_urls(docs)
    assert len(urls) == 166
    assert {u.split(":", 1)[0] for u in urls} == {"https"}
    hosts = Counter(target(normalise(u)).host for u in urls)
    assert len(hosts) == 105
    assert hosts.most_common(3) == [("arxiv.org", 15), ("www.palantir.com", 12), ("example.com", 12)]


def test_placeholder_urls_are_excludable(shared_parsed: Corpus) -> None:
    # The model-card templates carry placeholder repositories, e.g.
    # docs/04-language-models/04.1-大型语言模型/EXAMPLE_MODEL_CARD.md:33
    # "- 代码：repo=<https://example.com/formalai-llm-example.git>, commit=abc1234（示例）".
    doc = shared_parsed.document("docs/04-language-models/04.1-大型语言模型/EXAMPLE_MODEL_CARD.md")
    assert doc is not None
    ext = [(link.line, link.column, link.dest) for link in doc.links if link.kind == "external"]
    assert (33, 11, "https://example.com/formalai-llm-example.git") in ext
    docs = [d for p in shared_parsed.paths if (d := shared_parsed.document(p)) is not None]
    o = Options(exclude=("https://example.com/*",))
    assert sum(o.excluded(u) is not None for u in collect_urls(docs)) == 12
