"""painpath security layer."""
