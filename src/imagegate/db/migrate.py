"""Run alembic migrations programmatically (`imagegate serve` migrates on start)."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def alembic_config(engine: Engine) -> Config:
    """An alembic Config pointing at the packaged migrations and `engine`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("imagegate.db").joinpath("migrations")))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision."""
    command.upgrade(alembic_config(engine), "head")
