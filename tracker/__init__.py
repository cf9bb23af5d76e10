"""The status-report app: reports and their review, current statuses, scoring, the public
pages and API over them, imports and exports, rounds and notices."""
