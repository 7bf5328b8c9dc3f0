"""Documents: the first stage.

In: paths (files, folders, ``-`` for stdin) of txt, HTML, JSON(L) and CSV.
Out: ``Document`` records (``reading``), then ``CleanDoc`` records whose normalised
text keeps an offset into the original for every character (``cleaning``).
"""
