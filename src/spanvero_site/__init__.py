"""spanvero_site: the static site generator behind Spanvero."""

import time

__version__ = "0.1.0"

# When the package was first imported: a command's summary counts its imports too.
IMPORTED = time.perf_counter()
