"""Search: the query language, running queries over the store, and what the reader
and the command line need from a search (pages of hits, counts, highlights, the best
hits so far). ``Library`` is its front door."""
