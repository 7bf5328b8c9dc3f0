"""Actors: who the text names.

In: a parsed document and the knowledge base (``kb``: countries, IGOs, sectors,
people with dated roles, institutions, all data files).
Out: ``DocActors`` (``resolve``), each token's resolved ``Actor`` (country or IGO,
sector, person), plus the names the article teaches; ``names`` folds spelling
variants of one person across articles.
"""
