"""Schema versions and migrations, per component, so that other modules can add tables of their own.

Each component (``corpus`` here; the review helper registers ``review``) owns
an ordered list of steps; ``schema_version`` records how many of them a
database has run. A module registers at import time::

    from pipeline.store import migrations
    migrations.register("review", [
        "CREATE TABLE decisions (report_id INTEGER REFERENCES reports(id), ...)",
    ])

and `store.open` runs every registered step the database has not yet run,
each component in one transaction. Steps are SQL scripts or callables taking
the connection; a step, once released, is never edited: add a new one.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, Union

Step = Union[str, Callable[[sqlite3.Connection], None]]

_REGISTRY: dict[str, list[Step]] = {}


def register(component: str, steps: Sequence[Step]) -> None:
    """Declare a component's steps (again with a longer list when a new step is added)."""
    known = _REGISTRY.get(component, [])
    if list(steps[: len(known)]) != known:
        raise ValueError(f"migrations of {component!r} may only be appended to")
    _REGISTRY[component] = list(steps)


def components() -> list[str]:
    return list(_REGISTRY)


def version(conn: sqlite3.Connection, component: str) -> int:
    row = conn.execute("SELECT version FROM schema_version WHERE component = ?", (component,)).fetchone()
    return row[0] if row else 0


def apply(conn: sqlite3.Connection) -> None:
    """Run the steps each component has not run yet; a database newer than the code is refused."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    for component, steps in _REGISTRY.items():
        have = version(conn, component)
        if have > len(steps):
            raise sqlite3.DatabaseError(f"{component} schema version {have} is newer than this jixiao ({len(steps)})")
        if have == len(steps):
            continue
        with transaction(conn):
            for step in steps[have:]:
                if callable(step):
                    step(conn)
                else:
                    _script(conn, step)
            conn.execute("INSERT INTO schema_version (component, version) VALUES (?, ?) "
                         "ON CONFLICT(component) DO UPDATE SET version = excluded.version", (component, len(steps)))


def begin(conn: sqlite3.Connection, wait: bool = True) -> bool:
    """BEGIN IMMEDIATE: take the corpus's write lock. Without `wait`, False at once (and no
    transaction) while another connection holds it, instead of sleeping until it is free."""
    if wait:
        conn.execute("BEGIN IMMEDIATE")
        return True
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return True
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")


@contextmanager
def transaction(conn: sqlite3.Connection, begun: bool = False) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error (the connection runs in autocommit mode);
    `begun`: the caller took the lock already (`begin`)."""
    if not begun:
        conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _script(conn: sqlite3.Connection, script: str) -> None:
    """Statements of a script one by one, inside the caller's transaction (executescript would commit)."""
    for stmt in _statements(script):
        conn.execute(stmt)


def _statements(script: str) -> list[str]:
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
