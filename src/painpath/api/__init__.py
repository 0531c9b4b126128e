"""painpath api layer."""
