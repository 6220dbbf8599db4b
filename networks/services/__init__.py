"""Writes of the networks app, by subject: accounts (lifecycle), connect (OAuth flows), tokens."""
