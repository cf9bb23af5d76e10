"""API plumbing every app's API builds on: base view sets, pagination, ordering, renderers,
conditional requests, errors, the schema and its docs pages."""
