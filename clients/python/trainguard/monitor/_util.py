"""Encoding and digests for telemetry records (docs/monitor.md). Standard library only; torch and
numpy are used when the caller passes their objects, never imported here at module load."""

import array
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import random
import sys

_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


def finite(value):
    """JSON-safe copy: non-finite floats become "NaN"/"Infinity"/"-Infinity", tuples lists."""
    if isinstance(value, float):
        if value != value:
            return "NaN"
        return _NON_FINITE.get(value, value)
    if isinstance(value, dict):
        return {str(k): finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def dumps(record):
    try:  # fast path: nothing to convert
        return json.dumps(record, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        return json.dumps(
            finite(record), allow_nan=False, separators=(",", ":"), ensure_ascii=False
        )


# stands for a value whose JSON text is spliced into the line (see splice)
PLACEHOLDER = "\x00"
_SKETCH_FORMATS = {}


def sketch_json(values):
    """JSON text of [float("%.6g" % v) for v in values] as dumps() writes it, or None when the
    fast path does not apply. "%.6g" text is what repr() gives for the rounded value exactly when
    it has a decimal point and no positive exponent (no "3", "1e+06", "-0", "1e-05", "nan")."""
    n = len(values)
    fmt = _SKETCH_FORMATS.get(n)
    if fmt is None:
        fmt = _SKETCH_FORMATS[n] = "[" + ",".join(["%.6g"] * n) + "]"
    text = fmt % tuple(values)
    if text.count(".") != n or "e+" in text or "n" in text:
        return None
    return text


def splice(line, raw):
    """Replaces the placeholder value of each key of `raw` in the JSON `line` by raw[key]. A key
    followed by an unescaped quote cannot occur inside an encoded string, so the first match is
    the field itself."""
    for key, text in raw.items():
        line = line.replace('"%s":"\\u0000"' % key, '"%s":%s' % (key, text), 1)
    return line


_KEY_TEXT = {}
# (dict, its text): the last dict fast_dumps encoded (the optimizer hyperparameters repeat, the
# same object while unchanged; it is never mutated once in a record)
_LAST_DICT = [None]


def fast_dumps(record):
    """dumps(record) for a flat record of str, int, finite float, None and small dict values,
    about 3x faster; None when something else is met (the caller falls back to dumps)."""
    parts = []
    append = parts.append
    for key, value in record.items():
        t = type(value)
        if t is float:
            if value - value != 0:  # NaN, infinities
                return None
            text = float.__repr__(value)
        elif t is int:
            text = int.__repr__(value)
        elif t is str:
            # alphanumeric: nothing to escape (hex digests, most run ids)
            text = '"' + value + '"' if value.isalnum() else dumps(value)
        elif value is None:
            text = "null"
        elif t is dict:
            last = _LAST_DICT[0]  # one read and one write of a tuple: safe across threads
            if last is not None and last[0] is value:
                text = last[1]
            else:
                text = dumps(value)
                _LAST_DICT[0] = (value, text)
        else:
            return None
        prefix = _KEY_TEXT.get(key)
        if prefix is None:
            if type(key) is not str:
                return None
            prefix = _KEY_TEXT[key] = "," + dumps(key) + ":"
        append(prefix)
        append(text)
    if not parts:
        return "{}"
    parts[0] = parts[0][1:]
    return "{" + "".join(parts) + "}"


def canonical_json(value):
    return json.dumps(
        finite(value), allow_nan=False, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def sha256_hex(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def config_digest(config):
    return sha256_hex(canonical_json(config if config is not None else {}))


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_INDEX_FORMATS = {}
# batch sizes repeat (the last batch of an epoch may be shorter): a handful of formats is kept
_MAX_INDEX_FORMATS = 16


def indices_digest(indices):
    """SHA-256 of the canonical JSON of the list of sample indices, e.g. `[3,1,2]`: each index
    written as int(index) would be. "%d" formats what int() accepts as int() does (an int, a
    bool, a float truncated, a numpy integer) in one C call per batch; anything else (a string
    "%d" refuses) takes the reference path, which raises where int() does."""
    n = len(indices)
    fmt = _INDEX_FORMATS.get(n)
    if fmt is None:
        fmt = "[" + ",".join(["%d"] * n) + "]"
        if len(_INDEX_FORMATS) < _MAX_INDEX_FORMATS:
            _INDEX_FORMATS[n] = fmt
    try:
        text = fmt % tuple(indices)
    except TypeError:
        text = "[" + ",".join(map(str, map(int, indices))) + "]"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def numeric_hparams(group, drop=("params",)):
    """Numeric hyperparameters of a param group. Booleans become 0/1 and number sequences
    (Adam's betas) `name.0`, `name.1`: the wire format allows numbers only."""
    out = {}
    for key, value in group.items():
        if key in drop:
            continue
        if isinstance(value, bool):
            out[key] = int(value)
        elif isinstance(value, (int, float)):
            out[key] = float(value) if isinstance(value, float) else value
        elif isinstance(value, (list, tuple)) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
        ):
            for i, v in enumerate(value):
                out["%s.%d" % (key, i)] = v
        elif hasattr(value, "item") and getattr(value, "numel", lambda: 0)() == 1:
            out[key] = float(value.item())
    return out


# --- RNG states -------------------------------------------------------------------------------


def _numpy_state_digest(state):
    name, keys, pos, has_gauss, cached = state[:5]
    h = hashlib.sha256()
    h.update(str(name).encode())
    h.update(keys.astype("<u4").tobytes())
    h.update(repr((int(pos), int(has_gauss), float(cached))).encode())
    return h.hexdigest()


def _python_state_digest(state):
    version, internal, gauss = state
    h = hashlib.sha256()
    h.update(repr((version, gauss)).encode())
    h.update(array.array("Q", internal).tobytes())
    return h.hexdigest()


def _torch_state_digest(state):
    return sha256_hex(state.cpu().numpy().tobytes())


def _numpy_module():
    np = sys.modules.get("numpy")
    if np is None:
        try:
            import numpy as np  # noqa: F811
        except ImportError:
            return None
    return np


def rng_digest():
    """Digests of the global RNG states now: torch CPU, numpy's global RandomState, `random`."""
    out = {}
    torch = sys.modules.get("torch")
    if torch is not None:
        out["torch"] = _torch_state_digest(torch.get_rng_state())
        try:  # only when the job already uses CUDA: never initialize it here
            if torch.cuda.is_initialized():
                h = hashlib.sha256()
                for state in torch.cuda.get_rng_state_all():
                    h.update(state.cpu().numpy().tobytes())
                out["cuda"] = h.hexdigest()
        except Exception:
            pass
    np = sys.modules.get("numpy")
    if np is not None:
        out["numpy"] = _numpy_state_digest(np.random.get_state())
    out["python"] = _python_state_digest(random.getstate())
    return out


def rng_expected(seed):
    """The same digests recomputed from `seed` with fresh generators (nothing global is touched)."""
    out = {}
    if seed is None:
        return out
    seed = int(seed)
    torch = sys.modules.get("torch")
    if torch is not None:
        out["torch"] = _torch_state_digest(torch.Generator().manual_seed(seed).get_state())
    np = sys.modules.get("numpy")
    if np is not None:
        out["numpy"] = _numpy_state_digest(
            np.random.RandomState(seed % (1 << 32)).get_state()
        )
    out["python"] = _python_state_digest(random.Random(seed).getstate())
    return out


# --- parameters -------------------------------------------------------------------------------


def tensor_bytes(t):
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    t = t.contiguous()
    try:
        return t.numpy().tobytes()
    except (TypeError, RuntimeError):  # bfloat16 and other dtypes numpy lacks
        return t.view(-1).view(__import__("torch").uint8).numpy().tobytes()


def _tensor_buffer(t):
    """The bytes of `t` (as tensor_bytes) as a buffer, without a copy for a contiguous host
    tensor of a dtype numpy knows."""
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    t = t.contiguous()
    try:
        return t.numpy().reshape(-1)
    except (TypeError, RuntimeError):  # bfloat16 and other dtypes numpy lacks
        return t.view(-1).view(__import__("torch").uint8).numpy()


def param_digest(params):
    h = hashlib.sha256()
    for p in params:
        buf = _tensor_buffer(p)
        try:
            h.update(buf)
        except (TypeError, ValueError, BufferError):
            h.update(buf.tobytes())
    return h.hexdigest()


# --- environment ------------------------------------------------------------------------------


def startup_hooks():
    """`import` lines of .pth files on sys.path, and sitecustomize/usercustomize modules."""
    hooks = []
    seen = set()
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        real = os.path.realpath(entry)
        if real in seen:
            continue
        seen.add(real)
        try:
            names = sorted(n for n in os.listdir(entry) if n.endswith(".pth"))
        except OSError:
            continue
        for name in names:
            path = os.path.join(entry, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    for line in f:
                        line = line.strip()
                        if line.startswith(("import ", "import\t")):
                            hooks.append(("pth %s: %s" % (path, line))[:4096])
            except OSError:
                continue
    for mod in ("sitecustomize", "usercustomize"):
        module = sys.modules.get(mod)
        path = getattr(module, "__file__", None) if module is not None else None
        if module is None:
            try:
                spec = importlib.util.find_spec(mod)
            except (ImportError, ValueError):
                spec = None
            path = spec.origin if spec is not None else None
            if spec is None:
                continue
        hooks.append("%s %s" % (mod, path))
    return hooks


def env_digest(hooks):
    dists = set()
    for dist in importlib.metadata.distributions():
        try:
            name = dist.metadata["Name"]
        except Exception:  # broken metadata: still count it
            name = None
        dists.add("%s==%s" % (name or "?", dist.version))
    torch = sys.modules.get("torch")
    torch_dir = os.path.dirname(torch.__file__) if torch is not None else None
    return sha256_hex(
        canonical_json(
            {
                "python": sys.version,
                "executable": sys.executable,
                "distributions": sorted(dists),
                "torch_dir": torch_dir,
                "startup_hooks": hooks,
            }
        )
    )


def short_stack(frame, limit=32):
    """"module:function" of `frame` and its callers, innermost last, at most `limit`."""
    out = []
    while frame is not None:
        out.append("%s:%s" % (frame.f_globals.get("__name__", "?"), frame.f_code.co_name))
        frame = frame.f_back
    out.reverse()
    return out[-limit:]
