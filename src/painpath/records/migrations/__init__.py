"""painpath records/migrations layer."""
