/**
 * What the machine records instead of importing and calling: every `find_class` (with Python 2
 * names mapped as `fix_imports` does), every call with its callable and arguments, every
 * persistent id, and the copyreg extension codes the stream itself registers.
 */
import { fixImports } from "./compat-names.js";
import type { ImportOpcode, PickleCall, PickleImport } from "./types.js";
import {
  asSafeInt,
  asSequence,
  asString,
  globalName,
  type PickleGlobalValue,
  type PickleObjectValue,
  type PickleValue,
} from "./values.js";

export class CallRecorder {
  readonly imports: PickleImport[] = [];
  readonly calls: PickleCall[] = [];
  readonly persistentIds: { pid: PickleValue; offset: number }[] = [];
  readonly #extensions = new Map<number, readonly [string, string]>();
  /** The stream's protocol: names are mapped from Python 2 below protocol 3. */
  protocol = 0;

  import(
    module: string | null,
    name: string | null,
    opcode: ImportOpcode,
    offset: number,
  ): PickleGlobalValue {
    let mod = module;
    let nm = name;
    if (mod !== null && nm !== null && this.protocol < 3) [mod, nm] = fixImports(mod, nm);
    this.imports.push({ module: mod, name: nm, opcode, offset });
    return { kind: "global", module: mod, name: nm, offset };
  }

  /** An EXT opcode: resolved only through a `copyreg.add_extension` earlier in the stream. */
  extension(code: number, opcode: ImportOpcode, offset: number): PickleGlobalValue {
    const known = this.#extensions.get(code);
    return this.import(known?.[0] ?? null, known?.[1] ?? null, opcode, offset);
  }

  call(call: PickleCall): PickleObjectValue {
    this.calls.push(call);
    // copyreg.add_extension(module, name, code) registers what a later EXT opcode resolves to.
    if (call.opcode === "REDUCE" && globalName(call.callee) === "copyreg.add_extension") {
      const [m, n, c] = asSequence(call.args) ?? [];
      const module = asString(m);
      const name = asString(n);
      const code = asSafeInt(c);
      if (module !== undefined && name !== undefined && code !== undefined) {
        this.#extensions.set(code, [module, name]);
      }
    }
    return {
      kind: "object",
      callee: call.callee,
      args: call.args,
      offset: call.offset,
      state: undefined,
      items: [],
    };
  }

  /** Merges what a nested stream (a joblib object array) recorded. */
  absorb(other: CallRecorder): void {
    this.imports.push(...other.imports);
    this.calls.push(...other.calls);
    this.persistentIds.push(...other.persistentIds);
  }
}
