"""Start TensorFlow without its native start-up notices: one explicit step of a chapter's setup.

TensorFlow's C++ runtime writes to file descriptor 2 while it loads, before its own log level
(``TF_CPP_MIN_LOG_LEVEL``) applies: on CPUs where oneDNN is used a plain ``import tensorflow``
prints ``WARNING: All log messages before absl::InitializeLog() ...`` and a oneDNN notice.
Jupyter shows them under the cell as a warning that is not part of any lesson. A chapter
therefore imports TensorFlow, Keras and the ``companion.keras_*`` helpers inside one block::

    from companion.tf_start import quiet_tensorflow_start

    with quiet_tensorflow_start():  # TensorFlow's C++ start-up notices hidden
        import keras
        import tensorflow as tf

        from companion.keras_utils import pick_device

Importing this module changes nothing (it imports neither TensorFlow nor Keras and sets no
environment variable); only the call does, and it says what in its docstring.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

__all__ = ["quiet_tensorflow_start"]

#: TensorFlow's C++ log level while the chapter runs: 2 keeps errors, hides notices and warnings
LOG_LEVEL = "2"


@contextlib.contextmanager
def quiet_tensorflow_start() -> Iterator[None]:
    """Run the block (TensorFlow's first import) with native start-up notices hidden.

    Two things happen, both on purpose and only here:

    * ``TF_CPP_MIN_LOG_LEVEL`` is set to ``LOG_LEVEL`` ("2": errors only) unless already set,
      and stays set: it also hides the notices TensorFlow prints later, when it first places an
      operation on a GPU. Set it to "0" before the call to see them all.
    * While the block runs, what native code writes to file descriptor 2 goes to /dev/null.
      Python exceptions are unaffected: they propagate as usual once the descriptor is restored,
      with their messages intact.

    A process without a real descriptor 2 (some embedded interpreters) runs the block unchanged.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", LOG_LEVEL)
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
