"""Reads of the webhooks package."""

from networks.models import DataDeletionRequest


def deletion_request_for_code(code: str) -> DataDeletionRequest | None:
    """The deletion request a confirmation code names (the code is the only key people have)."""
    return DataDeletionRequest.objects.filter(confirmation_code=code).first()
