"""The applications above the model and the analyses (docs/odd.md §14): the command line
(``sesim``, ``python -m sim``), the dashboard and the workshop, and the Python API's ``sim.compare``.

They import the world (``sim`` outside ``sim.apps``) and ``analysis``; neither imports them.
"""
