"""spanvero_site: the static site generator behind Spanvero."""

__version__ = "0.1.0"
