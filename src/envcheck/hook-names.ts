/**
 * Modules `site.py` imports at every start if they can be found on sys.path: `sitecustomize`,
 * then `usercustomize` (https://docs.python.org/3/library/site.html). Any importable form counts:
 * a source file, a package, sourceless bytecode or an extension module.
 */
export const HOOK_MODULES = ["sitecustomize", "usercustomize"] as const;

export type HookModule = (typeof HOOK_MODULES)[number];

/**
 * True when a directory entry called `name` can be imported as `hook` (or as any hook module):
 * `hook/`, `hook.py`, `hook.pyc`, `hook.pyw`, `hook.so`, `hook.cpython-311-x86_64-linux-gnu.so`,
 * `hook.abi3.so`, `hook.pyd`.
 */
export function isHookModuleName(name: string, hook?: HookModule): boolean {
  const hooks = hook === undefined ? HOOK_MODULES : [hook];
  return hooks.some((module) => {
    if (name === module) return true;
    if (!name.startsWith(`${module}.`)) return false;
    const rest = name.slice(module.length + 1);
    return /^(py|pyc|pyw|so|pyd)$/.test(rest) || /^[A-Za-z0-9_.-]+\.(so|pyd)$/.test(rest);
  });
}
