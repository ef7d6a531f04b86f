"""The user's own data: marks (stars, tags, read times, notes) in a state file that is
never lost. Apart from the index on purpose: it imports nothing from sources, store or
search, and they know it only through small protocols."""
