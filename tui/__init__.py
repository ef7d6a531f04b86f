"""papers front end: the command line (``tui.cli``) and the Textual reader."""
