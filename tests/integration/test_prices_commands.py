"""`spanvero prices add` and `prices stale` on a price log laid out the way editors write it.

tests/fixtures/pricelog/prices.yaml is the log before; each after-<case>.yaml is the whole file
after one addition, so a byte compared equal proves that every comment, blank line and value
the command did not mean to touch is kept.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from spanvero_site.cli import main
from tests.conftest import assemble_site

PRICELOG = Path(__file__).resolve().parents[1] / "fixtures" / "pricelog"
PRICES = "content/data/prices.yaml"
CLOUD_A = "https://cloud-a.example/pricing"
REFUSED = "spanvero prices add: refused: nothing written\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = assemble_site(tmp_path / "site", "basic")
    shutil.copyfile(PRICELOG / "prices.yaml", root / PRICES)
    return root


def add(site: Path, *argv: str) -> int:
    return main(["--root", str(site), "prices", "add", *argv])


def rental(*extra: str, date: str = "2026-11-27", price: str = "2.49") -> list[str]:
    return [
        "rental",
        *("--gpu", "h100-sxm", "--provider", "cloud-a", "--tier", "on-demand"),
        *("--usd-per-hour", price, "--as-of", date, "--source", CLOUD_A),
        *extra,
    ]


# The build's day is 2026-11-28: an observation of an earlier day is written with
# `recorded: 2026-11-28` (a backfill, or a reading written up late), one of that day without.
CASES = {
    "rental": rental("--note", "Read on the page: $2.49 per GPU-hour."),
    "same-day": rental(date="2026-11-28"),
    "backfill": rental("--backfill", date="2026-10-01", price="2.89"),
    "checked-move": rental("--checked-move", price="12.49"),
    "unit": [
        "rental",
        *("--gpu", "h100-sxm", "--provider", "cloud-c", "--tier", "on-demand", "--gpus", "8"),
        *("--usd-per-hour", "2.39", "--as-of", "2026-11-27"),
        *("--source", "https://cloud-c.example/pricing", "--unavailable"),
    ],
    "api": [
        "api",
        *("--model", "llama-3-1-8b", "--provider", "api-a"),
        *("--usd-per-mtok-input", "0.2", "--usd-per-mtok-output", "0.2"),
        *("--usd-per-mtok-cached-input", "0.1"),
        *("--as-of", "2026-11-27", "--source", "https://api-a.example/pricing"),
    ],
    "ended": [
        "api",
        *("--model", "llama-3-1-8b", "--provider", "api-a"),
        *("--usd-per-mtok-input", "0.18", "--usd-per-mtok-output", "0.18"),
        *("--as-of", "2026-11-27", "--source", "https://api-a.example/models"),
        *("--ended", "2026-11-20"),
    ],
    "electricity": [
        "electricity",
        *("--usd-per-kwh", "0.1834", "--as-of", "2026-11-01"),
        *("--source", "https://www.eia.gov/electricity/monthly/epm_table_grapher.php?t=epmt_5_3"),
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_add_changes_only_its_own_lines(site: Path, case: str) -> None:
    assert add(site, *CASES[case]) == 0
    assert (site / PRICES).read_bytes() == (PRICELOG / f"after-{case}.yaml").read_bytes()
    assert main(["--root", str(site), "check", "--strict"]) == 0


def test_add_prints_what_changed(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(site, *CASES["rental"]) == 0
    assert capsys.readouterr().out == (
        "content/data/prices.yaml:28: changed h100-sxm at cloud-a (on-demand): "
        "new observation on 2026-11-27\n"
        "  usd_per_hour (per GPU-hour): 2.69 → 2.49 (-7%) since 2026-11-01\n"
        "+       - as_of: 2026-11-27\n"
        "+         usd_per_hour: 2.49\n"
        "+         source: https://cloud-a.example/pricing\n"
        "+         note: 'Read on the page: $2.49 per GPU-hour.'\n"
        "+         recorded: 2026-11-28\n"
    )
    assert add(site, *CASES["electricity"]) == 0
    assert capsys.readouterr().out == (
        "content/data/prices.yaml:7: changed the electricity price: new observation on "
        "2026-11-01\n"
        "  usd_per_kwh (per kWh): 0.1729 → 0.1834 (+6%) since 2026-10-01\n"
        "-   usd_per_kwh: 0.1729   # U.S. residential average\n"
        "-   source: https://www.eia.gov/electricity/monthly/\n"
        "-   as_of: 2026-10-01\n"
        "+   usd_per_kwh: 0.1834   # U.S. residential average\n"
        "+   source: https://www.eia.gov/electricity/monthly/epm_table_grapher.php?t=epmt_5_3\n"
        "+   as_of: 2026-11-01\n"
        "  note: comments in the electricity block may describe the old figure: check them\n"
    )


def test_dry_run_writes_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(site, *CASES["api"], "--dry-run") == 0
    assert capsys.readouterr().out.startswith("content/data/prices.yaml:68: would change ")
    assert (site / PRICES).read_bytes() == (PRICELOG / "prices.yaml").read_bytes()


def test_windows_line_breaks_are_kept(site: Path) -> None:
    before = (PRICELOG / "prices.yaml").read_bytes().replace(b"\n", b"\r\n")
    (site / PRICES).write_bytes(before)
    assert add(site, *CASES["rental"]) == 0
    after = (PRICELOG / "after-rental.yaml").read_bytes().replace(b"\n", b"\r\n")
    assert (site / PRICES).read_bytes() == after


REFUSALS = {
    "duplicate date": (
        rental(date="2026-11-01"),
        "content/data/prices.yaml:22:1: error[E740]: "
        "h100-sxm at cloud-a (on-demand) already has an "
        "observation on 2026-11-01\n"
        "  hint: nothing is overwritten: if that observation is wrong, correct it by hand "
        "and add 'recorded: 2026-11-28' to it\n",
    ),
    "out-of-order date": (
        rental(date="2026-10-01"),
        "content/data/prices.yaml:22:1: error[E740]: "
        "2026-10-01 is older than the newest observation "
        "of h100-sxm at cloud-a (on-demand) (2026-11-01)\n"
        "  hint: check the date; to record an older reading in its place in the history, "
        "add --backfill\n",
    ),
    "two units match": (
        [
            "rental",
            *("--gpu", "h100-sxm", "--provider", "cloud-c", "--tier", "on-demand"),
            *("--usd-per-hour", "2.49", "--as-of", "2026-11-27", "--source", CLOUD_A),
        ],
        "content/data/prices.yaml:50:1: error[E740]: "
        "2 rental offers of h100-sxm at cloud-c "
        "(on-demand) match\n"
        "  hint: name the unit: --gpus 1 or --gpus 8\n",
    ),
    "no such offer": (
        [
            "rental",
            *("--gpu", "h100-sxm", "--provider", "cloud-b", "--tier", "on-demand"),
            *("--usd-per-hour", "2.49", "--as-of", "2026-11-27", "--source", CLOUD_A),
        ],
        "content/data/prices.yaml:13:1: error[E740]: "
        "no rental offer of h100-sxm at cloud-b (on-demand) in content/data/prices.yaml\n"
        "  hint: did you mean h100-sxm at cloud-a (on-demand) or h100-sxm at cloud-c "
        "(on-demand)?\n",
    ),
    "price not above zero": (
        rental(price="0"),
        "content/data/prices.yaml:13:1: error[E740]: "
        "the observation fails the build's checks (1 error)\n"
        "  hint: nothing was written; fix the values and run the command again\n"
        "content/data/prices.yaml:13:5: error[E708]: price must be above zero, not 0.0\n"
        "  hint: enter the price in US dollars; a free offer does not belong in this file\n",
    ),
    "date in the future": (
        rental(date="2026-12-27"),
        "content/data/prices.yaml:13:1: error[E740]: "
        "the observation fails the build's checks (1 error)\n"
        "  hint: nothing was written; fix the values and run the command again\n"
        "content/data/prices.yaml:13:5: error[E709]: 'rental[0].history[2].as_of' (2026-12-27) "
        "is in the future (the build's date is 2026-11-28)\n"
        "  hint: write the day it happened or was read from its source; a future date is "
        "usually a typo in the year or month\n",
    ),
    "spot above on-demand": (
        [
            "rental",
            *("--gpu", "h100-sxm", "--provider", "cloud-a", "--tier", "spot"),
            *("--usd-per-hour", "2.99", "--as-of", "2026-11-27", "--source", CLOUD_A),
        ],
        "content/data/prices.yaml:29:1: error[E740]: "
        "the observation fails the build's checks "
        "(1 error)\n"
        "  hint: nothing was written; fix the values and run the command again\n"
        "content/data/prices.yaml:32:5: error[E711]: spot price $2.99/h of cloud-a h100-sxm is "
        "above its on-demand price $2.69/h\n"
        "  hint: check both prices and their dates against the provider's page\n",
    ),
    "source not a URL": (
        [*rental()[:-2], "--source", "cloud-a pricing page"],
        "content/data/prices.yaml:13:1: error[E740]: "
        "the observation fails the build's checks (1 error)\n"
        "  hint: nothing was written; fix the values and run the command again\n"
        "content/data/prices.yaml:13:5: error[E203]: 'rental[0].history[2].source' must be an "
        "http(s) URL, not 'cloud-a pricing page'\n"
        "  hint: write it like: source: https://...\n",
    ),
    "a move past four times, unchecked": (
        rental(price="26.9"),
        "content/data/prices.yaml:13:1: error[E740]: "
        "the observation fails the build's checks "
        "(1 warning)\n"
        "  hint: nothing was written; check the price against its source and run the command "
        "again, with --checked-move if it really moved that much\n"
        # at the observation it moves from: the new one is not in the file
        "content/data/prices.yaml:22:9: warning[W717]: usd_per_hour of cloud-a h100-sxm "
        "(on-demand) moves 10.0 times from 2.69 to 26.9 between 2026-11-01 and 2026-11-27\n"
        "  hint: check the new price against its source: a misplaced decimal point, or a price "
        "for several GPUs or another unit? If it is right, run the command again with "
        "--checked-move\n",
    ),
    "no such GPU offered": (
        [
            "rental",
            *("--gpu", "a100-80gb", "--provider", "cloud-b", "--tier", "on-demand"),
            *("--usd-per-hour", "2.49", "--as-of", "2026-11-27", "--source", CLOUD_A),
        ],
        # at the list a new offer is written in, by hand
        "content/data/prices.yaml:11:1: error[E740]: "
        "no rental offer of a100-80gb at cloud-b (on-demand) in content/data/prices.yaml\n"
        "  hint: a new offer needs its provider_name (and instance) written by hand; "
        "`spanvero prices add` records observations of offers that exist\n",
    ),
    "a backfill between two moves": (
        # The new lines would go above line 21; the move out of it is seen at the observation
        # below them, which is at line 23 of the file (line 27 of the text never written).
        rental("--backfill", date="2026-10-01", price="0.5"),
        "content/data/prices.yaml:13:1: error[E740]: "
        "the observation fails the build's checks (2 warnings)\n"
        "  hint: nothing was written; check the price against its source and run the command "
        "again, with --checked-move if it really moved that much; a move from the new price to "
        "the observation after it is confirmed by 'checked_move: true' on that observation, "
        "written by hand\n"
        "content/data/prices.yaml:18:9: warning[W717]: usd_per_hour of cloud-a h100-sxm "
        "(on-demand) moves to 1/6.0 from 2.99 to 0.5 between 2026-09-01 and 2026-10-01\n"
        "  hint: check the new price against its source: a misplaced decimal point, or a price "
        "for several GPUs or another unit? If it is right, run the command again with "
        "--checked-move\n"
        "content/data/prices.yaml:23:9: warning[W717]: usd_per_hour of cloud-a h100-sxm "
        "(on-demand) moves 5.4 times from 0.5 to 2.69 between 2026-10-01 and 2026-11-01\n"
        "  hint: check it against its source: a misplaced decimal point, or a price for several "
        "GPUs or another unit? If it is right, add 'checked_move: true' to this observation\n",
    ),
    "ended before it was last on sale": (
        [
            "api",
            *("--model", "llama-3-1-8b", "--provider", "api-a"),
            *("--usd-per-mtok-input", "0.18", "--usd-per-mtok-output", "0.18"),
            *("--as-of", "2026-11-27", "--source", "https://api-a.example/models"),
            *("--ended", "2026-11-02"),
        ],
        # at the observation that found it on sale
        "content/data/prices.yaml:60:1: error[E740]: "
        "the observation fails the build's checks (1 error)\n"
        "  hint: nothing was written; fix the values and run the command again\n"
        "content/data/prices.yaml:64:9: error[E723]: observation of api-a llama-3-1-8b says "
        "the offer ended on 2026-11-02, but the observation of 2026-11-03 found it on sale\n"
        "  hint: check the day against the source: an offer ends after the last day it was "
        "seen on sale\n",
    ),
    "electricity not newer": (
        [*CASES["electricity"][:4], "2026-10-01", *CASES["electricity"][5:]],
        "content/data/prices.yaml:9:1: error[E740]: "
        "2026-10-01 is the same date as the current "
        "electricity price (2026-10-01)\n"
        "  hint: electricity keeps one current price: record a newer reading, or correct it "
        "by hand\n",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_say_why_and_write_nothing(
    site: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, message = REFUSALS[case]
    assert add(site, *argv) == 1
    assert capsys.readouterr().err == message + REFUSED
    assert (site / PRICES).read_bytes() == (PRICELOG / "prices.yaml").read_bytes()
    # Nothing was written, so every line named is one of the file as it is, and holds data
    # (never the blank line or comment where the new lines would have gone)
    lines = (PRICELOG / "prices.yaml").read_text().splitlines()
    for line, col in re.findall(r"^content/data/prices\.yaml:(\d+):(\d+): ", message, re.M):
        named = lines[int(line) - 1]
        assert named.strip() and not named.lstrip().startswith("#"), (line, named)
        assert int(col) == 1 or not named[: int(col) - 1].strip(" -"), (line, col, named)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (rental(price="abc"), "argument --usd-per-hour: not a number: 'abc'"),
        (rental(price="nan"), "argument --usd-per-hour: not a finite number: 'nan'"),
        (rental(date="2026-11-31"), "argument --as-of: not a date (YYYY-MM-DD): '2026-11-31'"),
        (["rental", "--gpu", "h100-sxm"], "the following arguments are required: --provider"),
    ],
)
def test_malformed_flags_are_usage_errors(
    site: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        add(site, *argv)
    assert exc.value.code == 2
    assert f"spanvero: error: {message}" in capsys.readouterr().err
    assert (site / PRICES).read_bytes() == (PRICELOG / "prices.yaml").read_bytes()


@pytest.mark.parametrize("days", ["-5", "ten", "1.5"])
def test_an_age_limit_that_is_not_a_count_of_days_is_a_usage_error(
    site: Path, days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(site), "prices", "stale", "--older-than", days])
    assert exc.value.code == 2
    message = f"argument --older-than: not a number of days (0 or more): '{days}'"
    assert f"spanvero: error: {message}" in capsys.readouterr().err


def test_stale_lists_the_oldest_first(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(site), "prices", "stale", "--older-than", "26"]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "content/data/prices.yaml:9: 2026-10-01 (58 days) electricity the default electricity "
        "price\n  https://www.eia.gov/electricity/monthly/\n"
        "content/data/gpus.yaml:25: 2026-10-15 (44 days) hardware NVIDIA H100 SXM (list price: "
        "an 8-GPU HGX H100 server)\n  https://server-vendor.example/hgx-h100\n"
        "content/data/prices.yaml:22: 2026-11-01 (27 days) rental Cloud A: NVIDIA H100 SXM "
        "(on-demand)\n  https://cloud-a.example/pricing\n"
        "content/data/prices.yaml:34: 2026-11-01 (27 days) rental Cloud A: NVIDIA H100 SXM "
        "(spot)\n  https://cloud-a.example/pricing\n"
        "content/data/prices.yaml:47: 2026-11-01 (27 days) rental Cloud C: NVIDIA H100 SXM "
        "(on-demand, 8 GPUs rented whole as 8x H100 SXM)\n  https://cloud-c.example/pricing\n"
        "content/data/prices.yaml:55: 2026-11-01 (27 days) rental Cloud C: NVIDIA H100 SXM "
        "(on-demand)\n  https://cloud-c.example/pricing\n"
    )
    assert err == (
        "spanvero prices stale: 6 prices last observed more than 26 days before 2026-11-28, "
        "oldest first\n"
    )


def test_stale_as_json_uses_the_site_limit(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(site), "prices", "stale", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "diagnostics": [],
        "summary": {
            "command": "prices stale",
            "ok": True,
            "status": "ok",
            "exit_code": 0,
            "errors": 0,
        },
        "today": "2026-11-28",
        "older_than_days": 365,
        "stale": [],
    }
    assert (
        main(["--root", str(site), "prices", "stale", "--older-than", "30", "--format", "json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["stale"] == [
        {
            "kind": "electricity",
            "label": "the default electricity price",
            "as_of": "2026-10-01",
            "age_days": 58,
            "source": "https://www.eia.gov/electricity/monthly/",
            "path": "content/data/prices.yaml",
            "line": 9,
        },
        {
            "kind": "hardware",
            "gpu": "h100-sxm",
            "label": "NVIDIA H100 SXM (list price: an 8-GPU HGX H100 server)",
            "as_of": "2026-10-15",
            "age_days": 44,
            "source": "https://server-vendor.example/hgx-h100",
            "path": "content/data/gpus.yaml",
            "line": 25,
        },
    ]


def test_stale_never_lists_a_launch_price(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The RTX 4090's launch price is from 2022: a fact about its launch, not a price to re-check.
    A street or list price ages like a rental; with a limit under its age it is listed."""
    assert main(["--root", str(site), "prices", "stale", "--older-than", "43"]) == 0
    out = capsys.readouterr().out
    assert "RTX 4090" not in out
    assert out.splitlines()[2:4] == [
        "content/data/gpus.yaml:25: 2026-10-15 (44 days) hardware NVIDIA H100 SXM (list price: "
        "an 8-GPU HGX H100 server)",
        "  https://server-vendor.example/hgx-h100",
    ]
    assert main(["--root", str(site), "prices", "stale", "--older-than", "44"]) == 0
    assert "gpus.yaml" not in capsys.readouterr().out


# Each way the files `prices` reads can be broken, and the diagnostic it must give: coded, at
# its file and line, with a hint, whatever --format was asked for.
BROKEN = {
    "site.yaml malformed": (
        "content/site.yaml",
        lambda text: text.replace("title:", "title: [", 1),
        "content/site.yaml:1:8: error[E202]: malformed YAML: this list in [ ] is not closed (the "
        "parser gave up at line 2: did not find expected ',' or ']')\n"
        "  hint: close the list with ']' where it ends (items are separated by commas)\n",
    ),
    "prices.yaml not UTF-8": (
        PRICES,
        lambda text: text.replace("U.S. residential", "U.S. r\udce9sidential"),
        "content/data/prices.yaml:7:33: error[E101]: file is not valid UTF-8 (byte 0xe9 at "
        "offset 330)\n  hint: re-save the file with UTF-8 encoding\n",
    ),
    "prices.yaml malformed": (
        PRICES,
        lambda text: text + "rental: [\n",
        "content/data/prices.yaml:70:1: error[E202]: malformed YAML: did not find expected node "
        "content\n"
        "  hint: check indentation, and quote values that contain ': ' or start with a special "
        "character\n",
    ),
}


def _break(site: Path, case: str) -> str:
    path, change, expected = BROKEN[case]
    file = site / path
    file.write_bytes(change(file.read_text()).encode("utf-8", "surrogateescape"))
    return expected


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_prices_report_a_broken_file_as_a_diagnostic_in_every_format(
    site: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _break(site, case)
    before = (site / PRICES).read_bytes()
    stale = ["--root", str(site), "prices", "stale"]
    assert main(stale) == 1
    assert capsys.readouterr() == ("", expected + "spanvero prices stale: failed\n")
    assert main([*stale, "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {
        "command": "prices stale",
        "ok": False,
        "status": "failed",
        "exit_code": 1,
    }
    (diagnostic,) = document["diagnostics"]
    location = f"{diagnostic['path']}:{diagnostic['line']}:{diagnostic['col']}"
    assert expected.startswith(f"{location}: error[{diagnostic['code']}]: ")
    assert diagnostic["hint"] and diagnostic["hint"] in expected
    assert main([*stale, "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"::error file={diagnostic['path']},line={diagnostic['line']},")
    assert out.count("\n") == 1
    assert add(site, *CASES["rental"]) == 1
    assert capsys.readouterr() == ("", expected + REFUSED)
    assert (site / PRICES).read_bytes() == before


def test_stale_reports_a_broken_gpus_yaml_and_lists_the_rest(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A gpus.yaml that does not parse used to leave its street and list prices out in silence
    (and call every GPU of prices.yaml unknown): its error is reported, and what it touches
    (the GPUs' prices, the rental offers) is left out of the list."""
    gpus = site / "content/data/gpus.yaml"
    gpus.write_text(gpus.read_text() + "  - [\n")
    argv = ["--root", str(site), "prices", "stale", "--older-than", "26", "--format", "json"]
    assert main(argv) == 1
    document = json.loads(capsys.readouterr().out)
    assert [(d["code"], d["path"]) for d in document["diagnostics"]] == [
        ("E202", "content/data/gpus.yaml")
    ]
    assert [s["kind"] for s in document["stale"]] == ["electricity"]


def test_stale_as_github_annotations(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--root", str(site), "prices", "stale", "--older-than", "44", "--format", "github"]
    assert main(argv) == 0
    assert capsys.readouterr().out == (
        "::notice file=content/data/prices.yaml,line=9,col=1,title=stale price::2026-10-01 "
        "(58 days) electricity the default electricity price%0A"
        "https://www.eia.gov/electricity/monthly/\n"
    )
