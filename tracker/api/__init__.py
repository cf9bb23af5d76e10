"""The API of status reports, current statuses, scores, regional figures and rounds."""
