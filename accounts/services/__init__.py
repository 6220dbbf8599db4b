"""Writes of the accounts app, by subject. Views and other apps call these, never the models."""
