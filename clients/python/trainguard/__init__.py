"""trainguard's Python client: check model files with trainguard before anything is unpickled.

    import trainguard
    state = trainguard.load("model.pt", map_location="cpu")   # torch.load after a clean scan

TRAINGUARD_GUARD=1 (with the package's .pth installed) puts the same check in front of
torch.load, pickle.load(s), numpy.load(allow_pickle=True) and joblib.load in every interpreter of
an environment. See docs/guard.md.
"""

from ._check import check_bytes
from ._errors import GuardUnavailableError, TrainguardError, UnsafeModelError
from ._load import load

__all__ = ["GuardUnavailableError", "TrainguardError", "UnsafeModelError", "check_bytes", "load"]
__version__ = "0.1.0"
