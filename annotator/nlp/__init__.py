"""NLP: spaCy pipeline loading, gazetteers, entity and event suggestion, normalisation."""
