"""Primary sources only: a GPU's `source` or `price.source` on a retail or content-farm domain.

The domains live in content/data/source_domains.yaml, not here, so an editor can add one
without touching code. A figure read from such a page may still be right; the check asks for
the vendor's own page as its source, with the secondary page kept in `note`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spanvero_site.core.diagnostics import Diagnostics
from spanvero_site.core.sources import DataFile, read_data_file
from spanvero_site.data.catalog import GPUS_PATH

SOURCE_DOMAINS_PATH = "content/data/source_domains.yaml"
_KINDS = {"retail": "a retail listing", "content_farms": "a content farm"}


def check_primary_sources(root: Path, diags: Diagnostics) -> None:
    """Check gpus.yaml's sources against source_domains.yaml (nothing when either is absent)."""
    domains = load_source_domains(root, diags)
    if not domains or not (root / GPUS_PATH).exists():
        return
    # gpus.yaml's own problems (its days included) are the catalogue's to report; here it is
    # only read.
    file = read_data_file(root, GPUS_PATH, Diagnostics(), today=None)
    if file is not None:
        check_gpu_sources(file, domains, diags)


def load_source_domains(root: Path, diags: Diagnostics) -> dict[str, tuple[str, int]]:
    """Each listed domain with what kind of site it is and its line; empty without the file."""
    if not (root / SOURCE_DOMAINS_PATH).exists():
        return {}
    file = read_data_file(root, SOURCE_DOMAINS_PATH, diags, today=None)  # it holds no days
    if file is None:
        return {}
    data = file.data if isinstance(file.data, dict) else None
    if data is None or any(
        key not in _KINDS
        or not isinstance(domains, list)
        or not all(isinstance(d, str) and "." in d and "/" not in d for d in domains)
        for key, domains in data.items()
    ):
        diags.error(
            "E203",
            "source_domains.yaml must map retail and content_farms to lists of domains",
            SOURCE_DOMAINS_PATH,
            1,
            1,
            "retail:\n    - amazon.com\n  content_farms:\n    - example-farm.com",
        )
        return {}
    return {
        domain.lower(): (_KINDS[key], file.source.locate((key, index))[0])
        for key, domains in data.items()
        for index, domain in enumerate(domains)
    }


def check_gpu_sources(
    file: DataFile, domains: dict[str, tuple[str, int]], diags: Diagnostics
) -> None:
    """Report every gpus.yaml `source` and `price.source` on a listed domain, at its line."""
    entries = file.data.get("gpus") if isinstance(file.data, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        price = entry.get("price")
        for at, url in (
            (("gpus", index, "source"), entry.get("source")),
            (
                ("gpus", index, "price", "source"),
                price.get("source") if isinstance(price, dict) else None,
            ),
        ):
            listed = _listed(url, domains)
            if listed is None:
                continue
            (domain, (kind, line_in_list)) = listed
            key = "source" if len(at) == 3 else "price.source"
            file.error(
                diags,
                "E730",
                f"{key} of '{entry.get('id')}' is {kind} ({domain}, listed in "
                f"{SOURCE_DOMAINS_PATH}:{line_in_list})",
                at,
                "cite the vendor's own datasheet, spec page or price announcement (NVIDIA, AMD, "
                "Apple); keep the secondary page in a `note` if a figure came from it",
            )


def _listed(url: Any, domains: dict[str, tuple[str, int]]) -> tuple[str, tuple[str, int]] | None:
    if not isinstance(url, str):
        return None
    host = (urlsplit(url).hostname or "").lower()
    for domain, listed in domains.items():
        if host == domain or host.endswith("." + domain):
            return domain, listed
    return None
