"""The reader's screens: loading, the main screen and its dialogs."""
