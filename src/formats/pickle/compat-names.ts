/**
 * Python 2 module names that `pickle.Unpickler(fix_imports=True)` (the default) maps to their
 * Python 3 homes for protocols below 3 (`Lib/_compat_pickle.py`, IMPORT_MAPPING and
 * NAME_MAPPING). A scanner that skips this reads `__builtin__.eval` as harmless.
 */
const IMPORT_MAPPING: Readonly<Record<string, string>> = {
  __builtin__: "builtins",
  copy_reg: "copyreg",
  Queue: "queue",
  SocketServer: "socketserver",
  ConfigParser: "configparser",
  repr: "reprlib",
  tkFileDialog: "tkinter.filedialog",
  Tkinter: "tkinter",
  markupbase: "_markupbase",
  _winreg: "winreg",
  thread: "_thread",
  dummy_thread: "_dummy_thread",
  dbhash: "dbm.bsd",
  dumbdbm: "dbm.dumb",
  dbm: "dbm.ndbm",
  gdbm: "dbm.gnu",
  xmlrpclib: "xmlrpc.client",
  SimpleXMLRPCServer: "xmlrpc.server",
  httplib: "http.client",
  htmlentitydefs: "html.entities",
  HTMLParser: "html.parser",
  Cookie: "http.cookies",
  cookielib: "http.cookiejar",
  BaseHTTPServer: "http.server",
  SimpleHTTPServer: "http.server",
  CGIHTTPServer: "http.server",
  commands: "subprocess",
  UserString: "collections",
  UserList: "collections",
  UserDict: "collections",
  urlparse: "urllib.parse",
  robotparser: "urllib.robotparser",
  urllib2: "urllib.request",
  anydbm: "dbm",
  cPickle: "pickle",
  cStringIO: "io",
  StringIO: "io",
  exceptions: "builtins",
  multiprocessing: "multiprocessing",
};

const NAME_MAPPING: Readonly<Record<string, readonly [string, string]>> = {
  "__builtin__.xrange": ["builtins", "range"],
  "__builtin__.reduce": ["functools", "reduce"],
  "__builtin__.intern": ["sys", "intern"],
  "__builtin__.unichr": ["builtins", "chr"],
  "__builtin__.unicode": ["builtins", "str"],
  "__builtin__.long": ["builtins", "int"],
  "__builtin__.raw_input": ["builtins", "input"],
  "itertools.izip": ["builtins", "zip"],
  "itertools.imap": ["builtins", "map"],
  "itertools.ifilter": ["builtins", "filter"],
  "UserDict.UserDict": ["collections", "UserDict"],
  "UserDict.IterableUserDict": ["collections", "UserDict"],
  "UserList.UserList": ["collections", "UserList"],
  "UserString.UserString": ["collections", "UserString"],
  "urllib.urlopen": ["urllib.request", "urlopen"],
  "urllib.urlretrieve": ["urllib.request", "urlretrieve"],
  "urllib.quote": ["urllib.parse", "quote"],
  "urllib.unquote": ["urllib.parse", "unquote"],
  "urllib.urlencode": ["urllib.parse", "urlencode"],
  "socket._socketobject": ["socket", "SocketType"],
};

/** The `(module, name)` that `find_class` actually imports for a protocol < 3 pickle. */
export function fixImports(module: string, name: string): readonly [string, string] {
  const mapped = NAME_MAPPING[`${module}.${name}`];
  if (mapped) return mapped;
  return [IMPORT_MAPPING[module] ?? module, name];
}
