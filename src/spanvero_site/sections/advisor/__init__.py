"""The /advisor/: its rules file, its engine and its pages."""
