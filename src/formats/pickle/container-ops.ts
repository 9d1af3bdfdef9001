/**
 * Container and memo opcodes (`pickle.py` load_tuple*, load_list, load_dict, load_append*,
 * load_setitem*, load_*set, load_get/put/memoize). They only move values between the stack, the
 * containers and the memo; nothing is imported or called.
 */
import { FormatError } from "../format-error.js";
import type { PickleMemo } from "./pickle-memo.js";
import type { PickleStack } from "./pickle-stack.js";
import type { StreamReader } from "./stream-reader.js";
import { decodeLatin1, parsePythonInt } from "./text-args.js";
import type { PickleValue } from "./values.js";

export interface ContainerState {
  readonly stack: PickleStack;
  readonly memo: PickleMemo;
  readonly reader: StreamReader;
}

/** The memo index argument of protocol 0's GET and PUT. */
function textIndex(reader: StreamReader, offset: number): number {
  const index = parsePythonInt(decodeLatin1(reader.line()), offset);
  if (index < 0n || index > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new FormatError("MALFORMED", `Cannot use memo index '${index}'`, offset);
  }
  return Number(index);
}

/** Runs `op` if it is a container or memo opcode; returns false for any other opcode. */
export function runContainerOp(state: ContainerState, op: number, offset: number): boolean {
  const { stack, memo, reader } = state;
  switch (op) {
    case 0x29: // EMPTY_TUPLE
      stack.push({ kind: "tuple", items: [] });
      return true;
    case 0x74: // TUPLE
      stack.push({ kind: "tuple", items: stack.keep(stack.popMark(offset), offset) });
      return true;
    case 0x85: // TUPLE1
    case 0x86: // TUPLE2
    case 0x87: {
      // TUPLE3
      const items: PickleValue[] = new Array(op - 0x84);
      for (let i = items.length - 1; i >= 0; i--) items[i] = stack.pop(offset);
      stack.push({ kind: "tuple", items });
      return true;
    }
    case 0x5d: // EMPTY_LIST
      stack.push({ kind: "list", items: [] });
      return true;
    case 0x6c: // LIST
      stack.push({ kind: "list", items: stack.keep(stack.popMark(offset), offset) });
      return true;
    case 0x7d: // EMPTY_DICT
      stack.push({ kind: "dict", entries: [] });
      return true;
    case 0x64: {
      // DICT
      const items = stack.popMark(offset);
      if (items.length % 2 !== 0) {
        throw new FormatError("MALFORMED", "Cannot build dict: odd number of items", offset);
      }
      const dict: PickleValue = { kind: "dict", entries: [] };
      stack.setItems(dict, items, offset);
      stack.push(dict);
      return true;
    }
    case 0x8f: // EMPTY_SET
      stack.push({ kind: "set", items: [], frozen: false });
      return true;
    case 0x91: // FROZENSET
      stack.push({ kind: "set", items: stack.keep(stack.popMark(offset), offset), frozen: true });
      return true;
    case 0x61: {
      // APPEND: pops the value, then appends to the new top
      const value = stack.pop(offset);
      stack.addItems(stack.top(offset), [value], offset);
      return true;
    }
    case 0x65: // APPENDS
    case 0x90: {
      // ADDITEMS
      const items = stack.popMark(offset);
      stack.addItems(stack.top(offset), items, offset);
      return true;
    }
    case 0x73: {
      // SETITEM
      const value = stack.pop(offset);
      const key = stack.pop(offset);
      stack.setItems(stack.top(offset), [key, value], offset);
      return true;
    }
    case 0x75: {
      // SETITEMS
      const items = stack.popMark(offset);
      if (items.length % 2 !== 0) {
        throw new FormatError("MALFORMED", "Cannot run SETITEMS: odd number of items", offset);
      }
      stack.setItems(stack.top(offset), items, offset);
      return true;
    }
    case 0x67: // GET
      stack.push(memo.get(textIndex(reader, offset), offset));
      return true;
    case 0x68: // BINGET
      stack.push(memo.get(reader.u1(), offset));
      return true;
    case 0x6a: // LONG_BINGET
      stack.push(memo.get(reader.u4(), offset));
      return true;
    case 0x70: // PUT
      memo.put(textIndex(reader, offset), stack.top(offset), offset);
      return true;
    case 0x71: // BINPUT
      memo.put(reader.u1(), stack.top(offset), offset);
      return true;
    case 0x72: // LONG_BINPUT
      memo.put(reader.u4(), stack.top(offset), offset);
      return true;
    case 0x94: // MEMOIZE: the next index is len(memo)
      memo.put(memo.size, stack.top(offset), offset);
      return true;
    default:
      return false;
  }
}
