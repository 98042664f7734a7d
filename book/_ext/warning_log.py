"""Sphinx extension: write every warning Sphinx itself reports to a file, for the book tests.

The build log mixes Sphinx's warnings with whatever else writes to stderr while autodoc imports
the package, such as TensorFlow's native ``WARNING: All log messages before
absl::InitializeLog() ...`` line, which some CPUs print and others do not. A test that searched
the log for ``WARNING`` would pass on one machine and fail on another. This extension records
exactly what Sphinx's own warning handler emits (after Sphinx's filters: suppressed and
repeated warnings stay out), one per line as ``location: LEVEL: message``, in the file named by
the environment variable ``GAN_BOOK_SPHINX_WARNINGS``; without it, it does nothing.
``tests/book_site.py`` sets it, and ``tests/test_book_build.py`` fails on any line in the file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging as sphinx_logging

#: The environment variable that names the file the warnings are written to.
ENV = "GAN_BOOK_SPHINX_WARNINGS"


class _Recorder(logging.Filter):
    """A filter that lets every record through and appends it to ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def filter(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None) or ""
        line = f"{location}: {record.levelname}: {record.getMessage()}".strip()
        with self.path.open("a", encoding="utf-8") as out:
            out.write(" ".join(line.split()) + "\n")
        return True


def setup(app: Sphinx) -> dict[str, object]:
    target = os.environ.get(ENV)
    if target:
        logger = logging.getLogger(sphinx_logging.NAMESPACE)
        handlers = [
            h for h in logger.handlers if isinstance(h, sphinx_logging.WarningStreamHandler)
        ]
        if not handlers:
            raise RuntimeError(
                "warning_log: Sphinx's warning handler was not found; "
                "this Sphinx version logs differently, update book/_ext/warning_log.py."
            )
        for handler in handlers:
            handler.addFilter(_Recorder(Path(target)))  # last filter: sees what Sphinx emits
    return {"parallel_read_safe": True, "parallel_write_safe": True}
