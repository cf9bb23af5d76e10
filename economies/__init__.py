"""The economies app: the 21 APEC member economies (and any others a global tracker adds), their
pages, admin and API."""
