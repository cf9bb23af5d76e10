"""Tests of the economy pages and admin."""
