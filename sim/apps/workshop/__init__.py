"""The participatory workshop (docs/odd.md §11): one room, one simulation, seats for schools and firms.

``room`` holds the room's state behind a lock (no browser needed: tested alone), ``debrief`` writes the
report and the decision log when the facilitator ends the game, ``server`` and ``app`` serve the pages
(Starlette routes for joining, Solara pages for the seats and the facilitator).
"""
