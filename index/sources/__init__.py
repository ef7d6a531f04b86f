"""Sources: where papers come from — the bundled Daily Papers dumps, imported files
(text dumps, JSON, JSON Lines, gzip) and our copies of them. Reading only; nothing
here knows about the index. Next layer: ``index.store``."""
