"""Offline from the server's side: while it starts and serves a page (and a rerun), the
server process makes no connection and sends no datagram to a non-loopback address."""

from __future__ import annotations

import ipaddress
import re
import shutil

import pytest

from tests.ui.harness import layer_checkbox, open_map, run_server, wait_for_count

pytestmark = pytest.mark.browser

# strace prints e.g. connect(5, {sa_family=AF_INET, sin_port=htons(53),
# sin_addr=inet_addr("10.0.0.1")}, 16) or inet_pton(AF_INET6, "::1", &sin6_addr)
_ADDR = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6?, "([^"]+)"')
_CALL = re.compile(r"^\d+\s+(connect|sendto|sendmsg|bind)\(")


def _addresses(line: str) -> list[ipaddress._BaseAddress]:
    return [ipaddress.ip_address(a or b) for a, b in _ADDR.findall(line)]


def _is_local(addr) -> bool:
    mapped = getattr(addr, "ipv4_mapped", None)
    addr = mapped or addr
    return addr.is_loopback or addr.is_unspecified


def test_server_makes_no_outbound_connection(tmp_path, browsing):
    strace = shutil.which("strace")
    if strace is None:
        pytest.fail("strace is required (apt-get install strace; `make test` does this as root)")
    trace = tmp_path / "net.trace"
    wrapper = (strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg,bind", "-o", str(trace))
    with run_server(tmp_path, wrapper=wrapper) as server:
        frame = open_map(browsing.page, server.url)
        assert wait_for_count(frame, "path.bm-layer-energy", 5) == 5  # the page painted
        layer_checkbox(browsing.page, "Oil pipelines").click()
        assert wait_for_count(frame, "path.bm-layer-energy", 0) == 0  # a full rerun happened
        log = server.log.read_text()
    lines = [line for line in trace.read_text().splitlines() if _CALL.match(line)]
    port = server.url.rsplit(":", 1)[1]
    binds = [line for line in lines if " bind(" in line and f"htons({port})" in line]
    assert binds, "the trace did not see the server bind its port: strace saw nothing"
    outbound = [
        line
        for line in lines
        if " bind(" not in line and any(not _is_local(a) for a in _addresses(line))
    ]
    assert outbound == [], "\n".join(outbound)
    assert "External URL" not in log
