"""papers front end: the command line (``tui.cli``) and the Textual reader."""

import os

# Textual paces screen updates at TEXTUAL_FPS (60 by default): results that land just
# after a frame wait up to 16.7 ms for the next. At 120 a keystroke's results reach the
# screen ~8 ms sooner (tests/bench/reader.py: p50 47 -> 31 ms on the bundled corpus);
# frames are still only drawn when something changed. Read once, when Textual is first
# imported, which is after this package; a user's own setting wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
