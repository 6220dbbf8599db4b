"""Writes of the campaigns app, by subject: campaigns and moderation (``media``), rights and the
private upload link (``rights``), the photo of the day (``picks``), public votes (``votes``),
collection from the networks (``collect``) and the exhibition export (``exhibition``)."""


class CampaignError(Exception):
    """A refused change, with a message for the person who asked (already translated)."""
