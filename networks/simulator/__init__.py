"""A local server that speaks the X API v2 and Graph API (Facebook Pages, Instagram) wire formats.

See README.md. ``world`` holds the simulated accounts; ``server.Simulator`` the state; ``testing``
the pytest fixtures.
"""
