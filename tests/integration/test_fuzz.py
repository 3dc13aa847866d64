"""Property-based tests (issue #12): generated inputs fed through the real build.

The property, for every generated front-matter, Markdown body and data value: `spanvero build`
returns diagnostics (exit 1) or output (exit 0), never raises, never prints a traceback or an
internal error, never runs past a time bound, and never writes outside its output folder: the
site's sources and everything beside the output folder are byte-for-byte as they were.

CI runs a small, derandomized campaign (the `ci` profile in conftest.py); a long one runs with
`SPANVERO_HYPOTHESIS=long python3 build.py test tests/integration/test_fuzz.py`.
"""

from __future__ import annotations

import contextlib
import io
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from spanvero_site.cli import main
from spanvero_site.core.writer import MARKER
from tests.conftest import assemble_site, tree_bytes

TIME_BOUND_SECONDS = 60
LORA = "content/learn/lora-basics.md"

# Slow tier: real processes killed at several moments / generated inputs through real builds.
pytestmark = pytest.mark.slow


class Hung(BaseException):
    """The build ran past the time bound (a BaseException, so no `except Exception` eats it)."""


@contextlib.contextmanager
def time_bound(seconds: int) -> Iterator[None]:
    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise Hung(f"the build ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a site and, beside it, the output folder of its last good build."""
    root = tmp_path_factory.mktemp("fuzz")
    site = assemble_site(root / "site", "basic")
    assert main(["--root", str(site), "build", "--no-search", "--out", str(root / "out")]) == 0
    return root


def check_build(world: Path, rel: str, text: str) -> None:
    """Build with `rel` replaced by `text`; assert the property; put the file back."""
    site, out = world / "site", world / "out"
    source = site / rel
    original = source.read_bytes()
    others = _outside(world)
    previous = tree_bytes(out)
    stderr = io.StringIO()
    try:
        source.write_text(text, encoding="utf-8", errors="surrogatepass")
        with time_bound(TIME_BOUND_SECONDS), contextlib.redirect_stderr(stderr):
            code = main(["--root", str(site), "build", "--no-search", "--out", str(out)])
    finally:
        source.write_bytes(original)
    err = stderr.getvalue()
    assert code in (0, 1), err[-2000:]
    assert "Traceback" not in err and "E901" not in err, err[-2000:]
    after = _outside(world)
    assert after.keys() == others.keys(), "a file appeared outside the output folder"
    assert {p: d for p, d in after.items() if p != rel} == {
        p: d for p, d in others.items() if p != rel
    }, "something was written outside the output folder"
    if code == 1:
        assert tree_bytes(out) == previous, "a failed build changed the previous output"
    else:
        assert (out / MARKER).is_file() and (out / "index.html").is_file()


def _outside(world: Path) -> dict[str, bytes]:
    """Every file beside the output folder, except spanvero's own cache in the site folder."""
    return {
        path: data
        for path, data in tree_bytes(world).items()
        if not path.startswith(("out/", "site/.spanvero/"))
    }


# Values YAML can carry, including the ones that broke builds: NaN, infinity, booleans where
# numbers belong, huge and negative numbers, empty and odd strings, nesting.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "0", "-1", "2026-02-30", "2026-11-28", "/learn/../x/", "a/b"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
PATHS = st.text(alphabet="/.-_a%2fFe #?\n\t\\~", max_size=30)
FRONT_MATTER_KEYS = [
    "title",
    "short_title",
    "answer",
    "date",
    "updated",
    "topic",
    "weight",
    "tags",
    "related",
    "aliases",
    "draft",
    "unknown",
]


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@st.composite
def explainers(draw: Callable[..., Any]) -> str:
    """A whole explainer file: generated front-matter (structured or raw text) and a body."""
    base: dict[str, Any] = {
        "title": "What is LoRA?",
        "answer": "A short answer.",
        "date": "2026-11-05",
        "related": ["prompting-first", "vram-basics"],
    }
    for key in draw(st.lists(st.sampled_from(FRONT_MATTER_KEYS), max_size=4, unique=True)):
        base[key] = draw(VALUES)
    if draw(st.booleans()):
        base["aliases"] = draw(st.lists(PATHS, max_size=3))
    front = draw(st.one_of(st.just(_dump(base)), st.text(max_size=200)))
    body = draw(MARKDOWN)
    return f"---\n{front}---\n\n{body}\n"


MARKDOWN = st.one_of(
    st.text(
        alphabet=st.sampled_from([*"#*_`[]()<>!|-:~=\n\\ \t/.?&%{}", "a", "b", "é", "\u200b"]),
        max_size=400,
    ),
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            [
                "## Main\n",
                "## Heading\n",
                "## Heading\n",
                "[link](/learn/nowhere/)\n",
                "[anchor](#heading)\n",
                "[md](vram-basics.md#x)\n",
                "::: note\ntext\n:::\n",
                "```python\nprint(1)\n```\n",
                "| a | b |\n|---|---|\n| 1 | 2 |\n",
                "<script>alert(1)</script>\n",
                "[^1]\n\n[^1]: note\n",
            ]
        ),
        max_size=8,
    ).map("\n".join),
)


@given(text=explainers())
def test_generated_explainers_never_crash_or_escape(world: Path, text: str) -> None:
    check_build(world, LORA, text)


@given(body=MARKDOWN)
def test_generated_markdown_bodies_never_crash_or_escape(world: Path, body: str) -> None:
    original = (world / "site" / LORA).read_text()
    front, _, _ = original.partition("\n---\n")
    check_build(world, LORA, f"{front}\n---\n\n{body}\n")


# Data files and the places in them a generated value is put.
DATA_FIELDS: list[tuple[str, tuple[str | int, ...]]] = [
    ("content/models/llama-3-1-8b.yaml", ("kv_heads",)),
    ("content/models/llama-3-1-8b.yaml", ("params_b",)),
    ("content/models/llama-3-1-8b.yaml", ("context_length",)),
    ("content/models/llama-3-1-8b.yaml", ("id",)),
    ("content/models/deepseek-v3.yaml", ("kv_lora_rank",)),
    ("content/data/gpus.yaml", ("gpus", 0, "bandwidth_gbps")),
    ("content/data/gpus.yaml", ("gpus", 0, "vram_gib")),
    ("content/data/gpus.yaml", ("gpus", 0, "id")),
    ("content/data/gpus.yaml", ("gpus", 1, "price")),
    ("content/data/prices.yaml", ("electricity", "usd_per_kwh")),
    ("content/data/prices.yaml", ("rental", 0, "provider")),
    ("content/data/prices.yaml", ("rental", 0, "history", 0, "usd_per_hour")),
    ("content/data/prices.yaml", ("api", 0, "history")),
    ("content/data/advisor.yaml", ("questions", 0, "options", 0, "id")),
    ("content/data/advisor.yaml", ("rules", 0, "when")),
    ("content/data/advisor.yaml", ("model_sizes",)),
    ("content/site.yaml", ("checks",)),
    ("content/site.yaml", ("base_url",)),
]


@given(field=st.sampled_from(DATA_FIELDS), value=VALUES)
def test_generated_data_values_never_crash_or_escape(
    world: Path, field: tuple[str, tuple[str | int, ...]], value: Any
) -> None:
    rel, at = field
    data = yaml.safe_load((world / "site" / rel).read_text())
    holder = data
    for step in at[:-1]:
        holder = holder[step]
    holder[at[-1]] = value
    check_build(world, rel, _dump(data))
