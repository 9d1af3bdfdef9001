"""Errors raised by the load guard, each with a code from a closed set."""

# Codes of UnsafeModelError:
#   "not-clean"    the scan verdict is not clean (or suspicious while TRAINGUARD_ALLOW=suspicious)
#   "not-verified" a signature is required or present and did not verify against the checked bytes
#   "changed"      the bytes the scanner hashed are not the bytes read for loading
#   "unavailable"  neither the daemon nor the CLI could check the file (GuardUnavailableError)
UNSAFE_CODES = ("not-clean", "not-verified", "changed", "unavailable")


class TrainguardError(Exception):
    """Base of every error the trainguard client raises."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class UnsafeModelError(TrainguardError):
    """The file was not loaded: it is not clean, not verified, changed, or could not be checked."""

    def __init__(self, code, message, path=None, verdict=None, findings=None):
        super().__init__(code, message)
        self.path = path
        self.verdict = verdict
        self.findings = list(findings or [])


class GuardUnavailableError(UnsafeModelError):
    """No daemon answered and the trainguard CLI could not run: nothing was checked, so nothing loads."""

    def __init__(self, message, path=None):
        super().__init__("unavailable", message, path=path)
