"""The /models/ catalogue pages."""
