"""The instruments app: forums, themes, soft-law instruments and their commitments, with their
pages, admin and API."""
