"""The /prices/ log, weekly index pages and feed."""
