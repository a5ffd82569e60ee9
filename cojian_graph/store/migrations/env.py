"""Alembic's environment for the store: thin, as Alembic's own layout has it.

The connection comes from :func:`cojian_graph.store.core.upgrade` (``config.attributes["connection"]``),
or from the URL in the Alembic config when run by the ``alembic`` command.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from cojian_graph.store.schema import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        with create_engine(config.get_main_option("sqlalchemy.url")).begin() as connection:
            _migrate(connection)
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
