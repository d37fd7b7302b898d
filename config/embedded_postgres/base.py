"""Django's PostgreSQL backend, with the embedded server started before the first connection."""

from pathlib import Path

from django.db.backends.postgresql import base

from . import socket_dir


class DatabaseWrapper(base.DatabaseWrapper):
    """Connects over the embedded server's Unix socket, starting the server if needed."""

    def get_connection_params(self):
        params = super().get_connection_params()
        params["host"] = socket_dir(Path(self.settings_dict["EMBEDDED_DATADIR"]))
        return params
