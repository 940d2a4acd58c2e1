"""annotator: turn news articles into gold-standard entity and event data."""

__version__ = "0.1.0"
