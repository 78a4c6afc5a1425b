"""Whether a host is this machine (where plain http:// is allowed): for homeservers and
calendar feeds alike."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """localhost, *.localhost or a loopback address."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
