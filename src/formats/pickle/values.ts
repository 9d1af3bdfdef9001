/**
 * Symbolic values of the pickle machine. Nothing is ever imported or called: a global is a name,
 * a call is a record of what would be called with what.
 */
export type PickleValue =
  | { readonly kind: "none" }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "int"; readonly value: bigint }
  /** Float values are never needed for a finding; one shared value saves memory on data. */
  | { readonly kind: "float" }
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "bytes"; readonly value: Uint8Array; readonly offset: number }
  | { readonly kind: "tuple"; readonly items: readonly PickleValue[] }
  | { readonly kind: "list"; readonly items: PickleValue[] }
  | { readonly kind: "dict"; readonly entries: Array<readonly [PickleValue, PickleValue]> }
  | { readonly kind: "set"; readonly items: PickleValue[]; readonly frozen: boolean }
  | PickleGlobalValue
  | PickleObjectValue
  | { readonly kind: "persid"; readonly pid: PickleValue }
  | { readonly kind: "buffer"; readonly offset: number };

/** A reference to `module.name`; either part is null when it was not a literal string. */
export interface PickleGlobalValue {
  readonly kind: "global";
  readonly module: string | null;
  readonly name: string | null;
  readonly offset: number;
}

/** The result of a call (REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ); BUILD updates `state`. */
export interface PickleObjectValue {
  readonly kind: "object";
  readonly callee: PickleValue;
  readonly args: PickleValue;
  readonly offset: number;
  state: PickleValue | undefined;
  /** Items appended or set on it (a list or dict subclass such as OrderedDict). */
  readonly items: PickleValue[];
}

export const NONE: PickleValue = { kind: "none" };
export const FLOAT: PickleValue = { kind: "float" };

/** `module.name` of a global, or null when either part is not a literal. */
export function globalName(value: PickleValue): string | null {
  if (value.kind !== "global" || value.module === null || value.name === null) return null;
  return `${value.module}.${value.name}`;
}

/** The string value, or undefined for anything else. */
export function asString(value: PickleValue | undefined): string | undefined {
  return value?.kind === "str" ? value.value : undefined;
}

/** The integer value as a number when it is a safe integer, else undefined. */
export function asSafeInt(value: PickleValue | undefined): number | undefined {
  if (value?.kind !== "int") return undefined;
  const n = Number(value.value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Items of a tuple or list, or undefined. */
export function asSequence(value: PickleValue | undefined): readonly PickleValue[] | undefined {
  return value?.kind === "tuple" || value?.kind === "list" ? value.items : undefined;
}

/** Looks up a string key in a literal dict. */
export function dictGet(value: PickleValue | undefined, key: string): PickleValue | undefined {
  if (value?.kind !== "dict") return undefined;
  for (const [k, v] of value.entries) if (k.kind === "str" && k.value === key) return v;
  return undefined;
}

const MAX_DESCRIBE_DEPTH = 4;
const MAX_DESCRIBE_ITEMS = 6;
const MAX_DESCRIBE_STRING = 80;

/** A short, bounded, Python-like rendering for messages: `os.system('echo x')`. */
export function describeValue(value: PickleValue, depth = 0): string {
  if (depth > MAX_DESCRIBE_DEPTH) return "…";
  const inner = (items: readonly PickleValue[]): string => {
    const shown = items.slice(0, MAX_DESCRIBE_ITEMS).map((v) => describeValue(v, depth + 1));
    if (items.length > MAX_DESCRIBE_ITEMS) shown.push("…");
    return shown.join(", ");
  };
  switch (value.kind) {
    case "none":
      return "None";
    case "bool":
      return value.value ? "True" : "False";
    case "int":
      return value.value.toString();
    case "float":
      return "<float>";
    case "str": {
      const s = value.value;
      const cut = s.length > MAX_DESCRIBE_STRING ? `${s.slice(0, MAX_DESCRIBE_STRING)}…` : s;
      return JSON.stringify(cut);
    }
    case "bytes":
      return `<${value.value.length} bytes>`;
    case "tuple":
      return value.items.length === 1 ? `(${inner(value.items)},)` : `(${inner(value.items)})`;
    case "list":
      return `[${inner(value.items)}]`;
    case "set":
      return `${value.frozen ? "frozenset" : "set"}({${inner(value.items)}})`;
    case "dict":
      return `{${value.entries
        .slice(0, MAX_DESCRIBE_ITEMS)
        .map(([k, v]) => `${describeValue(k, depth + 1)}: ${describeValue(v, depth + 1)}`)
        .join(", ")}${value.entries.length > MAX_DESCRIBE_ITEMS ? ", …" : ""}}`;
    case "global":
      return `${value.module ?? "<computed>"}.${value.name ?? "<computed>"}`;
    case "object": {
      const args = asSequence(value.args);
      return `${describeValue(value.callee, depth + 1)}(${args ? inner(args) : describeValue(value.args, depth + 1)})`;
    }
    case "persid":
      return `persistent_load(${describeValue(value.pid, depth + 1)})`;
    case "buffer":
      return "<out-of-band buffer>";
  }
}
