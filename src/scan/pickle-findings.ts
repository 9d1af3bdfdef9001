/**
 * Turns what the symbolic machine saw in pickle streams into findings: every import classified
 * by the policy, every call checked for a literal callable, byte strings handed to loaders
 * scanned recursively, and the machine's anomalies reported with the technique they match.
 */
import {
  describeValue,
  globalName,
  type PickleCall,
  type PickleStream,
  type PickleValue,
  WEIGHTS_ONLY_OPCODES,
} from "../formats/pickle/index.js";
import { at, joinMember, type ScanContext } from "./context.js";
import { classifyGlobal, type GlobalClass } from "./policy/classify-global.js";
import { finding } from "./rules.js";

/**
 * Loaders whose byte-string argument we can scan completely; a call with literal bytes is then
 * judged by what those bytes hold. `severity` is what the loader call itself is worth.
 */
const NESTED_LOADERS: ReadonlyMap<string, "info" | "high"> = new Map([
  // pickle.dumps(tensor) reduces storages to `_load_from_bytes(torch.save bytes)`.
  ["torch.storage._load_from_bytes", "info"],
  ["pickle.loads", "high"],
  ["_pickle.loads", "high"],
]);

const ANOMALY_RULES = {
  "memo-overwrite": ["pickle/memo-overwrite", "technique 12 (memo index decoy)"],
  "frame-violation": ["pickle/frame-violation", "technique 18 (FRAME straddle)"],
  "extension-code": ["pickle/extension-opcode", "technique 17 (EXT through copyreg)"],
  "discarded-call": ["pickle/discarded-call", "technique 11 (MARK…OBJ then POP)"],
  "out-of-band-buffer": ["pickle/out-of-band-buffer", undefined],
} as const;

export interface PickleReport {
  /** Persistent ids (torch storage references) of all streams, for storage checks. */
  readonly persistentIds: readonly PickleValue[];
  /** Globals imported, resolved, for format-level decisions (TorchScript, joblib). */
  readonly globals: ReadonlySet<string>;
  /** Every call of every stream, for tensor-against-storage checks. */
  readonly calls: readonly PickleCall[];
}

function importMessage(path: string, cls: GlobalClass): string {
  switch (cls.kind) {
    case "dangerous":
      return `Imports '${path}' (${cls.category})`;
    case "computed":
      return "Imports a global whose name is computed at load time";
    default:
      return `Imports '${path}', which is not in the allowlist`;
  }
}

/** How deep into a loader's arguments (BytesIO(b), a tuple of them) byte strings are sought. */
const NESTED_ARG_DEPTH = 3;

/** Literal byte strings inside a value: directly, in containers, or as arguments of calls. */
function* literalBytesIn(
  value: PickleValue,
  depth: number,
): Generator<{ readonly value: Uint8Array; readonly offset: number }> {
  const bytes = asLiteralBytes(value);
  if (bytes !== undefined) {
    yield bytes;
    return;
  }
  if (depth <= 0) return;
  if (value.kind === "tuple" || value.kind === "list") {
    for (const item of value.items) yield* literalBytesIn(item, depth - 1);
  } else if (value.kind === "object") {
    yield* literalBytesIn(value.args, depth - 1);
  }
}

const LATIN1_NAMES = new Set(["latin1", "latin-1", "iso-8859-1", "iso8859-1"]);

/**
 * A byte string the loader would receive: a bytes literal, or protocol 2's spelling of one,
 * `_codecs.encode(text, 'latin1')` (how Python 3 pickles bytes for Python 2 readers).
 */
function asLiteralBytes(value: PickleValue): { value: Uint8Array; offset: number } | undefined {
  if (value.kind === "bytes") return value;
  if (value.kind !== "object") return undefined;
  const fn = globalName(value.callee);
  if (fn !== "_codecs.encode" && fn !== "codecs.encode") return undefined;
  const [text, encoding] = value.args.kind === "tuple" ? value.args.items : [];
  if (text?.kind !== "str" || encoding?.kind !== "str" || !LATIN1_NAMES.has(encoding.value)) {
    return undefined;
  }
  return { value: Buffer.from(text.value, "latin1"), offset: value.offset };
}

/** The first argument of a loader call when it is a literal byte string. */
function literalBytesArg(call: PickleCall): Uint8Array | undefined {
  if (call.args.kind !== "tuple") return undefined;
  const first = call.args.items[0];
  return first === undefined ? undefined : asLiteralBytes(first)?.value;
}

export async function reportPickleStreams(
  streams: readonly PickleStream[],
  member: string | undefined,
  ctx: ScanContext,
): Promise<PickleReport> {
  const persistentIds: PickleValue[] = [];
  const globals = new Set<string>();
  const allCalls: PickleCall[] = [];
  const classes = new Map<string, GlobalClass>();
  const classify = (module: string | null, name: string | null): GlobalClass => {
    const key = `${module}\u0000${name}`;
    let cls = classes.get(key);
    if (cls === undefined) {
      cls = classifyGlobal(module, name, ctx.allow);
      classes.set(key, cls);
    }
    return cls;
  };
  const collector = ctx.collector;

  for (const [index, stream] of streams.entries()) {
    const where = (offset: number) => at(member, offset, streams.length > 1 ? index : undefined);
    for (const { pid } of stream.persistentIds) persistentIds.push(pid);

    // Loader imports whose every call passes literal bytes are judged by the bytes instead.
    const loaderCalls = new Map<number, PickleCall[]>();
    for (const call of stream.calls) {
      const name = globalName(call.callee);
      if (call.callee.kind === "global" && name !== null && NESTED_LOADERS.has(name)) {
        const list = loaderCalls.get(call.callee.offset) ?? [];
        list.push(call);
        loaderCalls.set(call.callee.offset, list);
      }
    }

    for (const imp of stream.imports) {
      const cls = classify(imp.module, imp.name);
      const path = `${imp.module ?? "?"}.${imp.name ?? "?"}`;
      globals.add(path);
      const calls = loaderCalls.get(imp.offset);
      if (calls?.every((call) => literalBytesArg(call) !== undefined)) {
        for (const call of calls) {
          const bytes = literalBytesArg(call) as Uint8Array;
          const nestedMember = joinMember(member, `${path}@${call.offset}`);
          collector.add(
            finding(
              "pickle/nested-loader",
              `Calls '${path}' on ${bytes.length} literal bytes, scanned as '${nestedMember}'`,
              where(call.offset),
              {
                severity: NESTED_LOADERS.get(path) ?? "high",
                verdict: NESTED_LOADERS.get(path) === "info" ? "clean" : "suspicious",
                reference: "technique 7 (nested deserializers)",
              },
            ),
          );
          await ctx.scanNested(bytes, nestedMember, ctx.depth + 1);
        }
        continue;
      }
      if (cls.kind === "allowed") continue;
      if (cls.kind === "dangerous") {
        const rule =
          cls.category === "training-state" ? "pickle/training-state" : "pickle/dangerous-global";
        collector.add(
          finding(rule, importMessage(path, cls), where(imp.offset), { reference: cls.reference }),
        );
      } else if (cls.kind === "computed") {
        collector.add(
          finding("pickle/computed-global", importMessage(path, cls), where(imp.offset), {
            reference: "techniques 14-16 (names built on the stack)",
          }),
        );
      } else if (!path.startsWith("__torch__.")) {
        // `__torch__.*` names are TorchScript classes, resolved by the TorchScript compiler
        // from the archive's own code, which the TorchScript finding already reports.
        collector.add(
          finding("pickle/unknown-global", importMessage(path, cls), where(imp.offset)),
        );
      }
    }

    for (const call of stream.calls) reportCall(call, where, ctx);
    // Any other loader (torch.load(BytesIO(b)), numpy.load, marshal.loads) stays dangerous, but
    // the bytes it would load are scanned too, so the report shows what they hide.
    for (const call of stream.calls) {
      if (call.callee.kind !== "global" || loaderCalls.has(call.callee.offset)) continue;
      const cls = classify(call.callee.module, call.callee.name);
      if (cls.kind !== "dangerous" || cls.category !== "deserialization") continue;
      for (const bytes of literalBytesIn(call.args, NESTED_ARG_DEPTH)) {
        await ctx.scanNested(
          bytes.value,
          joinMember(member, `${describeValue(call.callee)}@${bytes.offset}`),
          ctx.depth + 1,
        );
      }
    }
    allCalls.push(...stream.calls);

    for (const anomaly of stream.anomalies) {
      const mapped = ANOMALY_RULES[anomaly.code as keyof typeof ANOMALY_RULES];
      if (mapped === undefined) continue;
      const [rule, reference] = mapped;
      collector.add(
        finding(rule, `Pickle ${anomaly.detail}`, where(anomaly.offset), { reference }),
      );
    }

    const outside = [...stream.opcodeCounts.keys()].filter((op) => !WEIGHTS_ONLY_OPCODES.has(op));
    if (outside.length > 0) {
      collector.add(
        finding(
          "pickle/weights-only-incompatible",
          `Uses opcodes that torch.load(weights_only=True) rejects: ${outside.sort().join(", ")}`,
          where(stream.start),
        ),
      );
    }
  }
  return { persistentIds, globals, calls: allCalls };
}

function reportCall(
  call: PickleCall,
  where: (offset: number) => ReturnType<typeof at>,
  ctx: ScanContext,
): void {
  const callee = call.callee;
  if (call.opcode === "BUILD") {
    // BUILD on a class, function or module sets attributes on shared state (technique 10).
    if (callee.kind === "global") {
      ctx.collector.add(
        finding(
          "pickle/build-on-global",
          `Sets attributes on '${describeValue(callee)}' with BUILD`,
          where(call.offset),
          { reference: "technique 10 (protectai/modelscan#330)" },
        ),
      );
    }
    return;
  }
  if (callee.kind === "global") return;
  ctx.collector.add(
    finding(
      "pickle/non-literal-callable",
      `Calls ${describeValue(callee)}, a callable that is not a literal global`,
      where(call.offset),
      { reference: "techniques 4 and 10 (resolvers and indirection)" },
    ),
  );
}
