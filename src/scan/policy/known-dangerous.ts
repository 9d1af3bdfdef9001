/**
 * Globals known to execute code, touch files, processes or the network, import modules, or
 * deserialize nested data. This list only sets severity and the message: anything outside the
 * allowlist is already reported, so a gadget missing here is still caught as an unknown global.
 * Entries are exact `module.name` or a module prefix ending in ".*" (which also matches the
 * module itself). Sources: the research notes' bypass catalogue (techniques 1-10) and the
 * picklescan, ModelScan and fickling denylists they cite.
 */
export type DangerCategory =
  | "code-execution"
  | "process"
  | "file"
  | "network"
  | "import"
  | "deserialization"
  | "introspection"
  | "training-state";

interface DangerEntry {
  readonly pattern: string;
  readonly category: DangerCategory;
  readonly reference?: string;
}

const e = (category: DangerCategory, reference: string | undefined, ...patterns: string[]) =>
  patterns.map((pattern) => ({ pattern, category, ...(reference ? { reference } : {}) }));

const ENTRIES: readonly DangerEntry[] = [
  ...e(
    "code-execution",
    undefined,
    "builtins.eval",
    "builtins.exec",
    "builtins.compile",
    "builtins.breakpoint",
    "builtins.input",
    "builtins.help",
    "code.*",
    "codeop.*",
    "runpy.*",
    "timeit.*",
    "cProfile.*",
    "profile.*",
    "trace.*",
    "doctest.*",
    "pdb.*",
    "bdb.*",
    "pydoc.*",
    "idlelib.*",
    "lib2to3.*",
    "types.CodeType",
    "types.FunctionType",
    "types.MethodType",
    "types.LambdaType",
    "cloudpickle.*",
    "dill.*",
    "_interpreters.*",
    "_xxsubinterpreters.*",
    "ctypes.*",
    "_ctypes.*",
    "cffi.*",
    "numpy.testing.*",
    "numpy.f2py.*",
    "numpy.distutils.*",
    "torch.utils.bottleneck.*",
    "torch._dynamo.*",
    "torch._inductor.*",
    "torch.fx.*",
    "torch.jit.*",
    "torch.package.*",
    "torch.utils.collect_env.*",
    "torch.utils.cpp_extension.*",
    "torch._C.*",
    "torch.ops.*",
    "test.*",
    "_pyrepl.*",
    "functools.partial",
    "functools.reduce",
    "operator.methodcaller",
    "operator.attrgetter",
    "operator.itemgetter",
    "_operator.methodcaller",
    "_operator.attrgetter",
    "_operator.itemgetter",
    "asyncio.*",
    "threading.*",
    "_thread.*",
    "signal.*",
    "atexit.*",
    "gc.*",
    "weakref.finalize",
    "jinja2.*",
  ),
  ...e(
    "process",
    undefined,
    "os.*",
    "posix.*",
    "nt.*",
    "subprocess.*",
    "_posixsubprocess.*",
    "pty.*",
    "multiprocessing.*",
    "distutils.*",
    "setuptools.*",
    "pip.*",
    "ensurepip.*",
    "venv.*",
    "webbrowser.*",
    "uuid._get_command_stdout",
    "_osx_support.*",
    "_aix_support.*",
    "platform.popen",
    "commands.*",
    "popen2.*",
  ),
  ...e(
    "file",
    undefined,
    "builtins.open",
    "io.open",
    "io.FileIO",
    "io.open_code",
    "_io.*",
    "codecs.open",
    "shutil.*",
    "tempfile.*",
    "glob.*",
    "fileinput.*",
    "linecache.*",
    "logging.*",
    "zipfile.*",
    "tarfile.*",
    "sqlite3.*",
    "dbm.*",
    "shelve.*",
    "mmap.*",
    "pathlib.Path.write_text",
    "pathlib.Path.write_bytes",
    "pathlib.Path.unlink",
  ),
  ...e(
    "network",
    undefined,
    "socket.*",
    "_socket.*",
    "ssl.*",
    "http.*",
    "urllib.*",
    "urllib2.*",
    "httplib.*",
    "ftplib.*",
    "smtplib.*",
    "imaplib.*",
    "poplib.*",
    "nntplib.*",
    "telnetlib.*",
    "xmlrpc.*",
    "socketserver.*",
    "requests.*",
    "aiohttp.*",
    "httpx.*",
    "urllib3.*",
    "torch.hub.*",
    "torch.distributed.rpc.*",
    "torch.distributed.elastic.*",
    "torch.distributed.run.*",
    "torch.distributed.launch.*",
    "torch.distributed.launcher.*",
    "huggingface_hub.*",
  ),
  ...e(
    "import",
    undefined,
    "builtins.__import__",
    "importlib.*",
    "pkgutil.*",
    "zipimport.*",
    "imp.*",
    "sys.*",
    "builtins.globals",
    "builtins.locals",
    "builtins.vars",
    "builtins.getattr",
    "builtins.__build_class__",
    "builtins.type",
    "builtins.super",
    "copyreg.add_extension",
    "inspect.*",
  ),
  ...e(
    "training-state",
    "Sleepy Pickle (Trail of Bits, 2024)",
    "builtins.setattr",
    "builtins.delattr",
    "torch.manual_seed",
    "torch.seed",
    "torch.set_rng_state",
    "torch.random.*",
    "torch.cuda.manual_seed",
    "torch.cuda.manual_seed_all",
    "torch.cuda.set_rng_state",
    "torch.cuda.set_rng_state_all",
    "torch.cuda.random.*",
    "random.seed",
    "random.setstate",
    "random.shuffle",
    "numpy.random.seed",
    "numpy.random.set_state",
    "numpy.random.shuffle",
    "numpy.random.mtrand.seed",
    "numpy.random.mtrand.set_state",
    "torch.set_default_dtype",
    "torch.set_default_tensor_type",
    "torch.set_default_device",
    "torch.use_deterministic_algorithms",
    "torch.set_grad_enabled",
    "torch.set_flush_denormal",
    "torch.set_num_threads",
    "torch.backends.*",
    "torch.autograd.*",
    "torch.nn.init.*",
    "torch.nn.utils.*",
    "torch.optim.lr_scheduler.*",
    "numpy.copyto",
    "numpy.put",
    "numpy.place",
    "numpy.putmask",
    "operator.setitem",
    "operator.delitem",
    "_operator.setitem",
    "_operator.delitem",
  ),
  ...e(
    "deserialization",
    undefined,
    "pickle.*",
    "_pickle.*",
    "cPickle.*",
    "pickletools.*",
    "marshal.*",
    "shelve.*",
    "joblib.load",
    "joblib.numpy_pickle.load",
    "numpy.load",
    "numpy.lib.npyio.*",
    "numpy.lib.format.read_array",
    "torch.load",
    "torch.serialization.*",
    "torch.storage._load_from_bytes",
    "yaml.*",
    "jsonpickle.*",
  ),
];

export interface DangerMatch {
  readonly category: DangerCategory;
  readonly pattern: string;
  readonly reference?: string;
}

/** Lookup tables for exact names and module prefixes, built once. */
const EXACT = new Map<string, DangerEntry>();
const PREFIXES = new Map<string, DangerEntry>();
for (const entry of ENTRIES) {
  if (entry.pattern.endsWith(".*")) PREFIXES.set(entry.pattern.slice(0, -2), entry);
  else EXACT.set(entry.pattern, entry);
}

/** In-place operators of `operator`/`_operator` (`iadd`, `imul`, ...) mutate their target. */
const IN_PLACE_OPERATOR = /^_?operator\.i[a-z]+$/;

/**
 * In-place tensor and array methods end with "_" by PyTorch's convention (`add_`, `copy_`,
 * `normal_`); numpy's `ndarray.fill`/`setflags`/`itemset` mutate too.
 */
function matchInPlace(path: string): DangerMatch | undefined {
  const parts = path.split(".");
  const last = parts[parts.length - 1] ?? "";
  const torchInPlace = parts[0] === "torch" && /^[a-z][a-z0-9_]*[a-z0-9]_$/.test(last);
  const numpyInPlace =
    parts[0] === "numpy" && ["fill", "setflags", "itemset", "resize", "sort"].includes(last);
  if (torchInPlace || numpyInPlace || IN_PLACE_OPERATOR.test(path)) {
    return {
      category: "training-state",
      pattern: path,
      reference: "Sleepy Pickle (Trail of Bits, 2024)",
    };
  }
  return undefined;
}

/** Matches one dotted path (`os.system`, `pathlib.os.system`) against the list. */
export function matchDangerous(path: string): DangerMatch | undefined {
  const exact = EXACT.get(path) ?? matchInPlace(path);
  if (exact) return exact;
  const parts = path.split(".");
  for (let i = parts.length; i >= 1; i--) {
    const hit = PREFIXES.get(parts.slice(0, i).join("."));
    if (hit) return hit;
  }
  return undefined;
}
