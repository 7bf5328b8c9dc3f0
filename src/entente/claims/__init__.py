"""Claims: the figures a text states, and what sources say about them together.

In: a cleaned document and its events (``extract``); the claims of many
documents (``reconcile``).
Out: ``Claim`` records (value, bounds, unit, item, evidence, event); ``Figure``
records grouping claims about one quantity as corroborated, consistent,
conflicting or single-source.
"""
