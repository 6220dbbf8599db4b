"""HTML pages of the accounts app, by subject."""
