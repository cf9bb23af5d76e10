"""The read-only API of economies (/api/v1/economies/)."""
