"""One module per kind of page; each route of a page has a twin under ``/api`` built from the same function.

- ``overview.py``  ``/``                 counts, cooperation and conflict over time, top dyads and actors
- ``events.py``    ``/events``           the filterable table and its downloads; ``/events/{event_id}``
- ``articles.py``  ``/articles/{doc}``   the text with evidence and actor mentions marked
- ``dyads.py``     ``/dyads/{A}/{B}``    the brief of two actors
- ``actors.py``    ``/actors/{key}``     an actor's events, partners and people; ``/network``
- ``claims.py``    ``/claims``           figures across sources, the conflicting first
"""
