"""painpath records layer."""
