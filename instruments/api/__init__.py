"""The read-only API of forums, themes, instruments and commitments."""
