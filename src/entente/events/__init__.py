"""Events: what the actors did to each other, coded in CAMEO.

In: a parsed document, its ``DocActors`` and the pattern set (``patterns``, read
from ``data/patterns/*.yaml``), with the CAMEO codebook (``codebook``).
Out: ``RawEvent`` records from the dependency parse (``coding``); after dating,
``merging`` folds the mentions of one happening into one ``Event``.
"""
