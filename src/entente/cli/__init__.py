"""The command line: thin typer commands over ``entente.api`` and the stages.

In: arguments and options. Out: tables, files and exit codes. ``main`` holds the
per-document and store commands, ``corpus`` the cross-article ones (claims,
brief, export).
"""
