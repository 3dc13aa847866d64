"""Explainers: loading, editorial checks and the /learn/ views."""
