"""The app's own settings, with STATIC_ROOT in a temporary folder.

learning_platform.settings fixes STATIC_ROOT to ./staticfiles; the benchmark
collects the static files elsewhere so that it leaves the work tree as it
found it. Everything else is read from the environment as in production.
"""

import os
from pathlib import Path

from learning_platform.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
