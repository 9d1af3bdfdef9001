/**
 * Names the compiler puts in code objects without the source spelling them: scope names of
 * synthetic functions, hidden locals, and the class-body and annotation machinery. Each is
 * listed with the CPython version that introduced it; none lets cached code reach anything the
 * source does not name.
 */
const SYNTHETIC_NAMES: ReadonlySet<string> = new Set([
  "<module>",
  "<lambda>",
  "<listcomp>",
  "<setcomp>",
  "<dictcomp>",
  "<genexpr>",
  "<locals>",
  "<annotate>",
  // class bodies: module and qualname bookkeeping, the super() cell, docstring, annotations
  "__name__",
  "__module__",
  "__qualname__",
  "__doc__",
  "__class__",
  "__classcell__",
  "__annotations__",
  // 3.12 PEP 695 generics; 3.13 class attributes; 3.14 PEP 649 deferred annotations
  "__classdict__",
  "__classdictcell__",
  "__type_params__",
  "__orig_bases__",
  ".type_params",
  ".defaults",
  ".kwdefaults",
  ".generic_base",
  "__static_attributes__",
  "__firstlineno__",
  "__annotate__",
  "__conditional_annotations__",
  ".format",
  // `assert` loads it by name up to 3.8 (LOAD_ASSERTION_ERROR from 3.9)
  "AssertionError",
  // `async for` catches it by name in 3.7 (END_ASYNC_FOR from 3.8)
  "StopAsyncIteration",
  // an f-string of more than 30 parts compiles to "".join([...]) (compile.c,
  // STACK_USE_GUIDELINE)
  "join",
]);

/** `.0` is the iterator argument of a comprehension; 3.12 names generic-parameter scopes. */
const SYNTHETIC_PATTERNS: readonly RegExp[] = [/^\.\d+$/, /^<generic parameters of [^<>]+>$/];

export function isSyntheticName(name: string): boolean {
  return SYNTHETIC_NAMES.has(name) || SYNTHETIC_PATTERNS.some((pattern) => pattern.test(name));
}

/**
 * The names `name` may have been mangled from: inside class `C`, a private `__x` becomes
 * `_C__x` (leading underscores of `C` stripped). Returns [class part, private name] candidates.
 */
export function demangleCandidates(name: string): (readonly [string, string])[] {
  const out: (readonly [string, string])[] = [];
  if (!name.startsWith("_") || name.startsWith("__")) return out;
  for (let i = name.indexOf("__", 1); i > 1; i = name.indexOf("__", i + 1)) {
    out.push([name.slice(1, i), name.slice(i)]);
  }
  return out;
}
