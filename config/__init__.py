"""Project configuration.

Set before anything loads polars: its allocator (jemalloc) hands freed memory back to the
system at once instead of keeping it for later, so the peak of a large import (a national
file of a million rows, checked and written by columns) is hundreds of MB lower. A value
in the environment wins.
"""

import os

os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
