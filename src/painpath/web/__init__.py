"""painpath web layer."""
