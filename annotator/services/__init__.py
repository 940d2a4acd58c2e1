"""Use cases: import, annotate, suggest, export, stats; each opens and closes its own sessions."""
