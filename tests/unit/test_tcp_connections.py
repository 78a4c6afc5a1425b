"""The soak's count of this process's open TCP connections (control_channel.tcp_connections)."""

from __future__ import annotations

import socket

from tray_app.ui.control_channel import tcp_connections


def test_an_open_connection_is_counted_and_a_closed_one_is_not():
    before = sum(tcp_connections().values())
    server = socket.create_server(("127.0.0.1", 0))
    try:
        client = socket.create_connection(server.getsockname())
        accepted, _ = server.accept()
        states = tcp_connections()
        # The listener, and both ends of the connection (both are this process's).
        assert sum(states.values()) == before + 3, states
        assert states.get("established", 0) >= 2, states
        client.close()
        accepted.close()
    finally:
        server.close()
    assert sum(tcp_connections().values()) == before
