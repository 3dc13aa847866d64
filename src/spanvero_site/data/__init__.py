"""Spanvero's data: the records of models, GPUs and prices, their loaders, and the formulas.

Several sections read the same catalogue and prices, so they are loaded once here."""
