"""Tests of the API: reads, writes, HTTP behaviour, query counts and the schema."""
