"""Settings read from the environment; the socket path resolves like src/guard/socket-path.ts."""

import os

SOCKET_ENV = "TRAINGUARD_GUARD_SOCKET"
DEFAULT_TIMEOUT_S = 300.0


def socket_path():
    explicit = os.environ.get(SOCKET_ENV)
    if explicit:
        return os.path.abspath(explicit)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return os.path.join(runtime, "trainguard-guard.sock")
    home = os.environ.get("TRAINGUARD_HOME") or ".trainguard"
    return os.path.abspath(os.path.join(home, "guard.sock"))


def allow_suspicious():
    allowed = os.environ.get("TRAINGUARD_ALLOW", "")
    return "suspicious" in [part.strip() for part in allowed.split(",")]


def timeout_s():
    try:
        return float(os.environ.get("TRAINGUARD_GUARD_TIMEOUT", DEFAULT_TIMEOUT_S))
    except ValueError:
        return DEFAULT_TIMEOUT_S


def public_key():
    return os.environ.get("TRAINGUARD_PUBLIC_KEY") or None


def require_signature():
    return os.environ.get("TRAINGUARD_REQUIRE_SIGNATURE", "") not in ("", "0", "false", "no")


def guard_mode():
    """None (off), "enforce" or "warn", from TRAINGUARD_GUARD."""
    value = os.environ.get("TRAINGUARD_GUARD", "").strip().lower()
    if value in ("", "0", "off", "false", "no"):
        return None
    if value == "warn":
        return "warn"
    return "enforce"
