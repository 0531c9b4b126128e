"""painpath services layer."""
