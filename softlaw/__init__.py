"""The project and its web plumbing, below the apps: settings, root URLs, WSGI/ASGI, page
helpers, filter building blocks, API base classes, the admin base, caches and spreadsheets.
It imports no app (pyproject.toml, [tool.importlinter]).
"""
