"""deploy/server.py: the connections Streamlit's server accepts send at once (Nagle off).

The connection is accepted by asyncio, as in the server, on a socket from Streamlit's own bind.
"""

import asyncio
import socket

from streamlit.web.server.starlette import starlette_server

from deploy import server


def _accepted_nodelay(bind) -> int:
    """TCP_NODELAY of the connection asyncio accepts on a socket made by `bind`."""

    async def accept_one() -> int:
        listening = bind("127.0.0.1", 0, 8)
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        class Accepting(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        listener = await asyncio.get_running_loop().create_server(Accepting, sock=listening)
        _, writer = await asyncio.open_connection(*listening.getsockname())
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            listener.close()

    return asyncio.run(accept_one())


def test_streamlit_s_own_socket_leaves_nagle_on_which_is_why_the_launcher_exists():
    # If this fails, Streamlit (or asyncio) sets TCP_NODELAY itself and deploy/server.py can go.
    assert _accepted_nodelay(starlette_server._bind_socket) == 0


def test_the_launcher_s_socket_hands_nodelay_to_every_connection(monkeypatch):
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    server.without_nagle()
    server.without_nagle()  # twice is once: not wrapped again
    assert starlette_server._bind_socket.__name__ == "bind_without_nagle"
    assert _accepted_nodelay(starlette_server._bind_socket) == 1
