"""`python -m spanvero_site` runs the command line."""

from spanvero_site.entry import run

raise SystemExit(run())
