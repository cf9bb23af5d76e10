"""Tests of the instrument pages."""
