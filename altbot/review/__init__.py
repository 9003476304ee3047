"""``altbot review``: the browser review page (server, templates, static assets).

Imported only by the ``review`` command: ``check``, ``scan`` and ``fix`` never
load the web stack (Starlette, uvicorn, Jinja2; the ``review`` extra).
"""
