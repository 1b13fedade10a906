"""gunicorn's settings for meirim, read by gunicorn from the directory it starts in.

Command-line options (``--bind``, ``--workers``…) still take precedence.
"""

import gc


def post_worker_init(worker: object) -> None:
    """Move everything loaded at start-up (Django, the libraries, the app's modules, some
    hundred thousand objects) out of the garbage collector's view: a full collection
    would otherwise walk them all again (about 0.1 s here) in the middle of a request."""
    gc.freeze()
