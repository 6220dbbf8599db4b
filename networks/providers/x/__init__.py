"""x provider package."""
