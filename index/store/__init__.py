"""The store: the Whoosh index on disk, a rebuildable cache of the sources.

Its schema and documents, the writer that merges records into papers (identity by
arXiv id, then title), the generations that are built aside and swapped in, and the
one module that touches Whoosh's private parts. Reads ``index.sources``; read by
``index.search``.
"""
