/**
 * Import, call and persistent-id opcodes (`pickle.py` load_global, load_stack_global, load_ext*,
 * load_reduce, load_newobj*, load_inst, load_obj, load_build, load_*persid): recorded by the
 * CallRecorder, never executed.
 */
import { FormatError } from "../format-error.js";
import type { CallRecorder } from "./call-recorder.js";
import type { AnomalySink, PickleStack } from "./pickle-stack.js";
import type { StreamReader } from "./stream-reader.js";
import { decodeLatin1, decodeUtf8 } from "./text-args.js";
import type { ImportOpcode } from "./types.js";
import { asString, type PickleObjectValue, type PickleValue } from "./values.js";

export interface CallState {
  readonly stack: PickleStack;
  readonly reader: StreamReader;
  readonly recorder: CallRecorder;
  readonly anomaly: AnomalySink;
}

/**
 * Runs one import, call or persistent-id opcode; any other opcode is malformed here. Returns
 * the object a BUILD set state on (joblib reads inline arrays after it), else undefined.
 */
export function runCallOp(
  state: CallState,
  op: number,
  name: string,
  offset: number,
): PickleObjectValue | undefined {
  const { stack, reader, recorder, anomaly } = state;
  switch (op) {
    case 0x63: {
      // GLOBAL
      const module = decodeUtf8(reader.line(), offset);
      const nm = decodeUtf8(reader.line(), offset);
      stack.push(recorder.import(module, nm, "GLOBAL", offset));
      return undefined;
    }
    case 0x93: {
      // STACK_GLOBAL
      const nm = stack.pop(offset);
      const module = stack.pop(offset);
      for (const part of [module, nm]) {
        // A literal that is not a str makes the real unpickler raise; a call result is a
        // name computed at load time, which we cannot know.
        if (part.kind !== "str" && part.kind !== "object") {
          throw new FormatError(
            "MALFORMED",
            "Cannot run STACK_GLOBAL: operand is not a str",
            offset,
          );
        }
      }
      stack.push(
        recorder.import(asString(module) ?? null, asString(nm) ?? null, "STACK_GLOBAL", offset),
      );
      return undefined;
    }
    case 0x82: // EXT1
    case 0x83: // EXT2
    case 0x84: {
      // EXT4 (copyreg registry; pickle.py get_extension rejects codes <= 0)
      const code = op === 0x82 ? reader.u1() : op === 0x83 ? reader.u2() : reader.i4();
      if (code <= 0)
        throw new FormatError("MALFORMED", `Cannot run ${name} ${code}: code <= 0`, offset);
      anomaly("extension-code", offset, `${name} ${code}`);
      stack.push(recorder.extension(code, name as ImportOpcode, offset));
      return undefined;
    }
    case 0x52: // REDUCE
    case 0x81: {
      // NEWOBJ
      const args = stack.pop(offset);
      const callee = stack.pop(offset);
      stack.push(
        recorder.call({ opcode: op === 0x52 ? "REDUCE" : "NEWOBJ", offset, callee, args }),
      );
      return undefined;
    }
    case 0x92: {
      // NEWOBJ_EX
      const kwargs = stack.pop(offset);
      const args = stack.pop(offset);
      const callee = stack.pop(offset);
      stack.push(recorder.call({ opcode: "NEWOBJ_EX", offset, callee, args, kwargs }));
      return undefined;
    }
    case 0x69: {
      // INST
      const module = decodeUtf8(reader.line(), offset);
      const nm = decodeUtf8(reader.line(), offset);
      const args: PickleValue = { kind: "tuple", items: stack.popMark(offset) };
      const callee = recorder.import(module, nm, "INST", offset);
      stack.push(recorder.call({ opcode: "INST", offset, callee, args }));
      return undefined;
    }
    case 0x6f: {
      // OBJ
      const items = stack.popMark(offset);
      const callee = items.shift();
      if (callee === undefined)
        throw new FormatError("MALFORMED", "Cannot run OBJ: no class", offset);
      stack.push(recorder.call({ opcode: "OBJ", offset, callee, args: { kind: "tuple", items } }));
      return undefined;
    }
    case 0x62: {
      // BUILD
      const state = stack.pop(offset);
      const target = stack.top(offset);
      recorder.calls.push({ opcode: "BUILD", offset, callee: target, args: state });
      if (target.kind !== "object") return undefined;
      target.state = state;
      return target;
    }
    case 0x50: // PERSID
    case 0x51: {
      // BINPERSID
      const pid: PickleValue =
        op === 0x50 ? { kind: "str", value: decodeLatin1(reader.line()) } : stack.pop(offset);
      recorder.persistentIds.push({ pid, offset });
      stack.push({ kind: "persid", pid });
      return undefined;
    }
    default:
      throw new FormatError("MALFORMED", `Cannot run opcode '${name}'`, offset);
  }
}
