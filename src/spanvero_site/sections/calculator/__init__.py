"""The /calculator/ page."""
