"""Management commands: loading and importing data, exports, backups, notices."""
