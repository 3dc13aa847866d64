"""`python -m spanvero_site` runs the command line."""

from spanvero_site.cli import main

raise SystemExit(main())
