"""The primary-source check: which URLs a listed domain catches, and a malformed list."""

from __future__ import annotations

from pathlib import Path

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.data.source_domains import check_primary_sources, load_source_domains

LIST = "retail:\n  - amazon.com\ncontent_farms:\n  - farm.example\n"
GPU = """gpus:
  - id: g
    price:
      source: {price}
    source: {source}
"""


def site(tmp_path: Path, domains: str, price: str, source: str) -> Path:
    (tmp_path / "content" / "data").mkdir(parents=True)
    (tmp_path / "content" / "data" / "source_domains.yaml").write_text(domains)
    gpus = GPU.format(price=price, source=source)
    (tmp_path / "content" / "data" / "gpus.yaml").write_text(gpus)
    return tmp_path


def test_a_domain_and_its_subdomains_are_caught_and_nothing_else(tmp_path: Path) -> None:
    diags = Diagnostics()
    root = site(tmp_path, LIST, "https://www.amazon.com/dp/x", "https://notamazon.com/spec")
    check_primary_sources(root, diags)
    assert [(d.code, d.line, d.message) for d in diags.items] == [
        (
            "E730",
            4,
            "price.source of 'g' is a retail listing (amazon.com, listed in "
            "content/data/source_domains.yaml:2)",
        )
    ]


def test_a_content_farm_source(tmp_path: Path) -> None:
    diags = Diagnostics()
    root = site(tmp_path, LIST, "https://www.nvidia.com/x", "https://news.farm.example/a")
    check_primary_sources(root, diags)
    assert [(d.code, d.line) for d in diags.items] == [("E730", 5)]
    assert "is a content farm (farm.example" in diags.items[0].message


def test_a_malformed_list_is_reported(tmp_path: Path) -> None:
    diags = Diagnostics()
    root = site(tmp_path, "shops: [amazon.com]\n", "https://a.example/", "https://b.example/")
    assert load_source_domains(root, diags) == {}
    assert [d.code for d in diags.items] == ["E203"]
