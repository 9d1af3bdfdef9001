/**
 * The verdict policy for one global: allowlist first, then the known-dangerous list for
 * severity, and everything else is unknown (suspicious), never silently clean.
 */
import { type DangerCategory, matchDangerous } from "./known-dangerous.js";
import { TORCH_MODULE_CLASS, WEIGHTS_PROFILE } from "./weights-profile.js";

export type GlobalClass =
  | { readonly kind: "allowed" }
  | { readonly kind: "dangerous"; readonly category: DangerCategory; readonly reference?: string }
  | { readonly kind: "computed" }
  | { readonly kind: "unknown" };

/** A user allowlist: exact names plus `module.*` prefixes. */
export class Allowlist {
  readonly #exact = new Set<string>();
  readonly #prefixes: string[] = [];

  constructor(entries: readonly string[] = []) {
    for (const entry of entries) {
      if (entry.endsWith(".*")) this.#prefixes.push(entry.slice(0, -1));
      else this.#exact.add(entry);
    }
  }

  has(path: string): boolean {
    return this.#exact.has(path) || this.#prefixes.some((prefix) => path.startsWith(prefix));
  }
}

/**
 * Every path the unpickler touches to resolve `module` + `name`: the full path, and for a dotted
 * name (protocol 4 qualnames) each attribute path inside it, so that `pathlib` + `os.system`
 * is seen as `os.system` (technique 9).
 */
export function resolutionPaths(module: string, name: string): string[] {
  const parts = name.split(".");
  const paths = [`${module}.${name}`];
  if (parts.length > 1) for (let i = 0; i < parts.length; i++) paths.push(parts.slice(i).join("."));
  return paths;
}

export function classifyGlobal(
  module: string | null,
  name: string | null,
  allow: Allowlist,
): GlobalClass {
  if (module === null || name === null) return { kind: "computed" };
  const full = `${module}.${name}`;
  if (WEIGHTS_PROFILE.has(full) || TORCH_MODULE_CLASS.test(full)) return { kind: "allowed" };
  for (const path of resolutionPaths(module, name)) {
    const hit = matchDangerous(path);
    if (hit) {
      return {
        kind: "dangerous",
        category: hit.category,
        ...(hit.reference ? { reference: hit.reference } : {}),
      };
    }
  }
  // Attribute paths can only reach another module through a dunder or a module attribute;
  // a private dunder hop ("__builtins__", "__globals__") is never needed to load weights.
  if (name.split(".").some((part) => part.startsWith("__") && part.endsWith("__"))) {
    return { kind: "dangerous", category: "introspection" };
  }
  if (allow.has(full)) return { kind: "allowed" };
  return { kind: "unknown" };
}
