"""Who this process is, for the leases it holds in a store shared with other processes."""

from __future__ import annotations

import os
import secrets
import socket


def process_name() -> str:
    """``host:pid:random``: unique among the processes of every machine, readable in the store."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
