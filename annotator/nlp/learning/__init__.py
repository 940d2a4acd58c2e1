"""Suggesters that learn from the project's reviewed annotations: NER update, trigger and argument classifiers."""
