"""The parts of the site: each loads its inputs and returns its views and entries."""
