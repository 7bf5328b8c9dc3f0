"""Time: when each event happened.

In: the cleaned text with its publication date, and the ``RawEvent`` records.
Out: ``TimeRef`` temporal expressions resolved to dates (``dates``), the story's "today" and
time zone from its dateline (``datelines``), and for each event the expression that governs
it, with its value and precision (``timing``), read from where each expression hangs in the
parse (``attachment``) and, failing that, from other sentences (``narrative``).
"""
