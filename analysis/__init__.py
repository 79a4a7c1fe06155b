"""Statistics, figures and reports on top of the simulation (analysis of sesim runs)."""
