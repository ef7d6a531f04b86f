"""Feeds: today's papers from the Hugging Face daily-papers API and arXiv listings, and
arXiv ids for papers that lack one. Nothing here runs unless the user asks (``papers
fetch``, ``papers enrich``, ``F`` in the reader). Raw responses are saved and imported as
sources (``index.importing``), so the index can always be rebuilt offline.
"""
