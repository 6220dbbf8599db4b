"""Writes of the analytics app, by subject."""
