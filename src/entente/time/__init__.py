"""Time: when each event happened.

In: the cleaned text with its publication date, and the ``RawEvent`` records.
Out: ``TimeRef`` temporal expressions resolved to dates (``dates``), and for each
event the expression that governs it, with its value and precision (``timing``).
"""
