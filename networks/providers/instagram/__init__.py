"""instagram provider package."""
