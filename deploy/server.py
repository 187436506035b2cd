"""`python -m deploy.server run app.py [streamlit's options]`: `streamlit run`, with TCP_NODELAY.

Why: Streamlit 1.67 binds its listening socket itself (`socket.socket(family)`, protocol number 0)
and asyncio switches Nagle's algorithm off only for sockets whose protocol number is TCP's, so
every connection it accepts keeps Nagle on. A page run sends twenty to sixty small messages; after
the first, the kernel holds each small one until the client acknowledges the last, and the client
(a browser, or nginx in front of the replicas) delays that acknowledgement by 40 ms on Linux (up to
200 ms on Windows). Measured on the county demo, one session, 乡镇对比 warm: most runs 0.07–0.09 s,
of which the last 0.04–0.05 s passed after the script had ended and its messages were written;
with the client acknowledging at once, 0.03–0.05 s. Linux hands the listening socket's TCP_NODELAY
to every connection it accepts, so setting it there is enough.
"""

from __future__ import annotations

import socket
import sys

from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server


def _nodelay(bind):
    def bind_without_nagle(address: str, port: int, backlog: int) -> socket.socket:
        listening = bind(address, port, backlog)
        listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return listening

    return bind_without_nagle


def without_nagle() -> None:
    """Make Streamlit's server sockets (and so the connections they accept) send at once."""
    # A private function: tests/test_server_socket.py checks that it still binds the server.
    bind = starlette_server._bind_socket
    if getattr(bind, "__name__", "") != "bind_without_nagle":
        starlette_server._bind_socket = _nodelay(bind)


if __name__ == "__main__":
    without_nagle()
    sys.exit(cli.main(prog_name="streamlit"))
