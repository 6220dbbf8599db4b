"""facebook provider package."""
