"""serve._bind: the port asked for, or with no port asked for, the next free one after a busy 8000."""

from __future__ import annotations

import socket

import pytest

from contested.build import serve


def _busy_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def test_no_port_asked_for_takes_the_next_free_one_and_says_so(monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    with _busy_port() as busy:
        port = busy.getsockname()[1]
        monkeypatch.setattr(serve, "DEFAULT_PORT", port)
        server = serve._bind("127.0.0.1", None)
        try:
            taken = server.server_address[1]
            assert port < taken <= port + serve.PORTS_TRIED
            said = capsys.readouterr().err
            assert said == f"port {port} is busy (another preview?), so this one uses port {taken}\n"
        finally:
            server.server_close()


def test_a_busy_port_asked_for_is_refused_naming_a_free_one() -> None:
    with _busy_port() as busy:
        port = busy.getsockname()[1]
        with pytest.raises(serve.PortBusy, match=rf"port {port} is busy .*: port \d+ is free, run "
                                                 r"`build.py serve --port \d+`"):
            serve._bind("127.0.0.1", port)
