"""Corpus steps: what needs more than one document.

In: the stored documents, events and mentions.
Out: near-duplicate groups and story clusters (``dedup``, MinHash), and, in
``build``, events merged across articles, merged person names and the sourced
claims that ``claims.reconcile`` turns into figures.
"""
