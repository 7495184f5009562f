"""The throw-away database: dropped and created on DATABASE_URL's server, or cloned from a filled template.

Filling 3,000 standards and 2,600 applications through the services takes minutes, so a filled database is
kept as `<name>_template`, its comment holding the key it was filled for (the sizes, the migrations, the fill's
code, the locked dependencies) and the ids the pages name. A run with the same key clones it, which takes
seconds (CREATE DATABASE … TEMPLATE). BENCH_TEMPLATE=0 always fills and keeps no template.
"""

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
# What the filled data depends on besides the sizes.
FILL_SOURCES = (
    ROOT / "bench" / "fill.py",
    ROOT / "bench" / "fill_reviews.py",
    ROOT / "tests" / "factories.py",
    ROOT / "uv.lock",
)


def with_name(url: str, name: str) -> str:
    """DATABASE_URL's server and credentials, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fill_key(sizes: dict[str, int]) -> str:
    """Changes when the sizes, any migration or the code that fills change."""
    digest = hashlib.sha256(json.dumps(sizes, sort_keys=True).encode())
    for migration in sorted(ROOT.glob("*/migrations/[0-9]*.py")):
        digest.update(str(migration.relative_to(ROOT)).encode())
    # seed_demo's data comes first in the fill: its command and the stages' seed modules count as the fill's code.
    seeds = sorted({*ROOT.glob("*/management/commands/seed_demo.py"), *ROOT.glob("*/services/seed*.py")})
    seeds += sorted(ROOT.glob("*/services/seed/*.py"))
    for source in [*FILL_SOURCES, *seeds]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


class Server:
    """The maintenance connection (database `postgres`), in autocommit: CREATE and DROP DATABASE need it."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.connection = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            connect_timeout=5,
        )
        self.connection.autocommit = True

    def close(self) -> None:
        self.connection.close()

    def _run(self, statement, *args):
        with self.connection.cursor() as cursor:
            # No arguments, no interpolation: a template's comment may hold a "%" (an id quoted for a URL).
            cursor.execute(statement, args or None)
            return cursor.fetchall() if cursor.description else None

    def drop(self, name: str) -> None:
        # FORCE: a gunicorn worker of an interrupted run may still hold a connection.
        self._run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def create(self, name: str, *, template: str | None = None) -> None:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self._run(statement)

    def template_data(self, template: str) -> dict | None:
        """What the template's comment says (key and ids), None when there is no template."""
        rows = self._run("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", template)
        if not rows or not rows[0][0]:
            return None
        try:
            return json.loads(rows[0][0])
        except ValueError:
            return None

    def keep_as_template(self, name: str, template: str, data: dict) -> None:
        self.drop(template)
        self.create(template, template=name)
        comment = sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(template), sql.Literal(json.dumps(data))
        )
        self._run(comment)
