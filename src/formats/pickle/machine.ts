/**
 * A symbolic pickle machine: it runs every opcode with CPython's stack, mark and memo semantics
 * (`Lib/pickle.py` `_Unpickler`, `Modules/_pickle.c`) but imports and calls nothing. It records
 * what the real unpickler would import and call, with literal arguments where they are literal.
 */
import { FormatError } from "../format-error.js";
import { fixImports } from "./compat-names.js";
import { skipInlineArray } from "./inline-array.js";
import { readLiteral } from "./literal-ops.js";
import { HIGHEST_PROTOCOL, OPCODES } from "./opcodes.js";
import { StreamReader } from "./stream-reader.js";
import { decodeLatin1, decodeUtf8, parsePythonInt } from "./text-args.js";
import {
  DEFAULT_PICKLE_LIMITS,
  type ImportOpcode,
  type InlineArray,
  type PickleAnomaly,
  type PickleAnomalyCode,
  type PickleCall,
  type PickleImport,
  type PickleLimits,
  type PickleOptions,
  type PickleStream,
} from "./types.js";
import {
  asSafeInt,
  asSequence,
  asString,
  globalName,
  type PickleObjectValue,
  type PickleValue,
} from "./values.js";

/** Opcodes only protocol 0/1 writers emit (INT LONG STRING UNICODE FLOAT GET PUT). */
const TEXT_OPCODES = new Set([0x49, 0x4c, 0x53, 0x56, 0x46, 0x67, 0x70]);
const MAX_ANOMALIES = 1000;

export class PickleMachine {
  readonly #r: StreamReader;
  readonly #limits: PickleLimits;
  readonly #options: PickleOptions;
  readonly #depth: number;
  #stack: PickleValue[] = [];
  readonly #marks: PickleValue[][] = [];
  readonly #memo = new Map<number, PickleValue>();
  #stackTotal = 0;
  /** Container items kept so far; past the budget, data containers stop keeping items. */
  #retained = 0;
  #protocol = 0;
  #frameEnd = -1;
  #pendingBuild: PickleObjectValue | undefined;
  readonly #counts = new Uint32Array(256);
  readonly #extensions = new Map<number, readonly [string, string]>();
  readonly imports: PickleImport[] = [];
  readonly calls: PickleCall[] = [];
  readonly persistentIds: { pid: PickleValue; offset: number }[] = [];
  readonly anomalies: PickleAnomaly[] = [];
  readonly inlineArrays: InlineArray[] = [];

  constructor(bytes: Uint8Array, start: number, options: PickleOptions = {}, depth = 0) {
    this.#r = new StreamReader(bytes, start);
    this.#limits = { ...DEFAULT_PICKLE_LIMITS, ...options.limits };
    this.#options = options;
    this.#depth = depth;
  }

  /** Runs one stream from `start` to its STOP (or the first error) and reports what it saw. */
  run(): PickleStream {
    const start = this.#r.pos;
    let result: PickleValue | undefined;
    let error: FormatError | undefined;
    try {
      result = this.#loop();
    } catch (caught) {
      if (!(caught instanceof FormatError)) throw caught;
      error = caught;
    }
    const opcodeCounts = new Map<string, number>();
    this.#counts.forEach((count, op) => {
      if (count > 0) opcodeCounts.set(OPCODES[op]?.name ?? `0x${op.toString(16)}`, count);
    });
    return {
      start,
      end: this.#r.pos,
      protocol: this.#protocol,
      opcodeCounts,
      imports: this.imports,
      calls: this.calls,
      persistentIds: this.persistentIds,
      anomalies: this.anomalies,
      inlineArrays: this.inlineArrays,
      result,
      error,
    };
  }

  #anomaly(code: PickleAnomalyCode, offset: number, detail: string): void {
    if (this.anomalies.length < MAX_ANOMALIES) this.anomalies.push({ code, offset, detail });
  }

  #push(value: PickleValue): void {
    if (++this.#stackTotal > this.#limits.maxStackDepth) {
      throw new FormatError("LIMIT_EXCEEDED", "Cannot grow pickle stack: over the depth limit");
    }
    this.#stack.push(value);
  }

  #pop(offset: number): PickleValue {
    const value = this.#stack.pop();
    if (value === undefined) {
      throw new FormatError("MALFORMED", "Cannot pop pickle stack: stack underflow", offset);
    }
    this.#stackTotal -= 1;
    return value;
  }

  #top(offset: number, below = 0): PickleValue {
    const value = this.#stack[this.#stack.length - 1 - below];
    if (value === undefined) {
      throw new FormatError("MALFORMED", "Cannot read pickle stack: stack underflow", offset);
    }
    return value;
  }

  #popMark(offset: number): PickleValue[] {
    const items = this.#stack;
    const saved = this.#marks.pop();
    if (saved === undefined) {
      throw new FormatError("MALFORMED", "Cannot pop mark: no MARK on the stack", offset);
    }
    this.#stack = saved;
    this.#stackTotal -= items.length;
    return items;
  }

  /**
   * Items a new or growing container keeps. Large data pickles hold millions of values that no
   * finding needs; past the budget they are dropped (and reported), which only ever makes
   * arguments look less literal, so the scan errs towards reporting, never towards clean.
   */
  #keep(items: PickleValue[], offset: number, growing = false): PickleValue[] {
    this.#retained += items.length;
    // Small new tuples are call arguments, which findings need whatever the budget.
    if (this.#retained <= this.#limits.maxRetainedValues || (!growing && items.length <= 8)) {
      return items;
    }
    if (this.#retained - items.length <= this.#limits.maxRetainedValues) {
      this.#anomaly("values-elided", offset, "container items past the retention budget dropped");
    }
    return [];
  }

  #discard(values: readonly PickleValue[], offset: number): void {
    if (values.some((value) => value.kind === "object")) {
      this.#anomaly("discarded-call", offset, "a call result is discarded by POP");
    }
  }

  #import(module: string | null, name: string | null, opcode: ImportOpcode, offset: number) {
    let mod = module;
    let nm = name;
    if (mod !== null && nm !== null && this.#protocol < 3) [mod, nm] = fixImports(mod, nm);
    this.imports.push({ module: mod, name: nm, opcode, offset });
    return { kind: "global", module: mod, name: nm, offset } as const;
  }

  #call(call: PickleCall): PickleObjectValue {
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

  #memoGet(index: number, offset: number): PickleValue {
    const value = this.#memo.get(index);
    if (value === undefined) {
      throw new FormatError("MALFORMED", `Cannot read memo slot '${index}': it is empty`, offset);
    }
    return value;
  }

  #memoPut(index: number, offset: number): void {
    // _pickle.c sizes its memo array by the index: PUT 2**31-1 asks it for gigabytes.
    if (index < 0 || index >= this.#limits.maxMemo) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot PUT memo index '${index}': out of range`,
        offset,
      );
    }
    if (this.#memo.has(index)) {
      this.#anomaly("memo-overwrite", offset, `memo slot ${index} is written twice`);
    }
    this.#memo.set(index, this.#top(offset));
  }

  #loop(): PickleValue {
    const r = this.#r;
    let executed = 0;
    for (;;) {
      const offset = r.pos;
      if (r.remaining === 0) {
        throw new FormatError(
          "TRUNCATED",
          "Cannot read next opcode: input ends before STOP",
          offset,
        );
      }
      const op = r.u1();
      const info = OPCODES[op];
      if (info === undefined) {
        throw new FormatError("MALFORMED", `Cannot run opcode 0x${op.toString(16)}`, offset);
      }
      if (++executed > this.#limits.maxOpcodes) {
        throw new FormatError("LIMIT_EXCEEDED", "Cannot run pickle: over the opcode limit", offset);
      }
      this.#counts[op] = (this.#counts[op] as number) + 1;
      if (this.#protocol >= 2 && TEXT_OPCODES.has(op)) {
        this.#anomaly("text-opcode", offset, `${info.name} in a protocol ${this.#protocol} stream`);
      }
      const done = this.#stepAt(op, info.name, offset);
      if (this.#frameEnd >= 0 && r.pos > this.#frameEnd && offset < this.#frameEnd) {
        this.#anomaly("frame-violation", offset, `${info.name} crosses the end of its frame`);
      }
      // joblib writes inline arrays between frames, so skip them after the frame check.
      const built = this.#pendingBuild;
      if (built !== undefined) {
        this.#pendingBuild = undefined;
        skipInlineArray(built, r, offset, {
          nested: this.#inline,
          record: (array) => this.inlineArrays.push(array),
        });
      }
      if (done !== undefined) return done;
    }
  }

  /** Runs one opcode; input that ends inside its argument is reported at the opcode. */
  #stepAt(op: number, name: string, offset: number): PickleValue | undefined {
    try {
      const literal = readLiteral(op, this.#r, offset);
      if (literal !== undefined) {
        this.#push(literal);
        return undefined;
      }
      return this.#step(op, name, offset);
    } catch (error) {
      if (error instanceof FormatError && error.code === "TRUNCATED" && error.offset !== offset) {
        throw new FormatError("TRUNCATED", `Cannot read ${name} argument: input ends`, offset, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Executes one non-literal opcode; returns the result value on STOP. */
  #step(op: number, name: string, offset: number): PickleValue | undefined {
    const r = this.#r;
    switch (op) {
      case 0x80: {
        // PROTO
        const proto = r.u1();
        if (proto > HIGHEST_PROTOCOL) {
          throw new FormatError("MALFORMED", `Cannot read pickle protocol '${proto}'`, offset);
        }
        if (this.#counts[0x80] !== 1 || this.#stackTotal > 0 || this.#marks.length > 0) {
          this.#anomaly("proto-misplaced", offset, "PROTO is not the first opcode");
        }
        this.#protocol = proto;
        return undefined;
      }
      case 0x95: {
        // FRAME: _pickle.c reads the whole frame first, so a short one is "data was truncated".
        const length = r.u8();
        if (this.#frameEnd > offset) this.#anomaly("frame-violation", offset, "nested FRAME");
        if (length > r.remaining) {
          throw new FormatError(
            "TRUNCATED",
            `Cannot read FRAME of ${length} bytes: input ends`,
            offset,
          );
        }
        this.#frameEnd = r.pos + length;
        return undefined;
      }
      case 0x2e: // STOP
        return this.#pop(offset);
      case 0x28: // MARK
        if (this.#marks.length >= this.#limits.maxMarkDepth) {
          throw new FormatError("LIMIT_EXCEEDED", "Cannot push MARK: over the mark limit", offset);
        }
        this.#marks.push(this.#stack);
        this.#stack = [];
        return undefined;
      case 0x30: // POP: with an empty stack it drops the last mark (pickle.py load_pop)
        this.#discard(this.#stack.length > 0 ? [this.#pop(offset)] : this.#popMark(offset), offset);
        return undefined;
      case 0x31: // POP_MARK
        this.#discard(this.#popMark(offset), offset);
        return undefined;
      case 0x32: // DUP
        this.#push(this.#top(offset));
        return undefined;
      case 0x97: // NEXT_BUFFER
        this.#anomaly("out-of-band-buffer", offset, "the stream needs out-of-band buffers");
        this.#push({ kind: "buffer", offset });
        return undefined;
      case 0x98: // READONLY_BUFFER
        this.#top(offset);
        return undefined;
      default:
        return this.#stepContainer(op, name, offset);
    }
  }

  /** Container, memo, import and call opcodes. */
  #stepContainer(op: number, name: string, offset: number): PickleValue | undefined {
    const r = this.#r;
    switch (op) {
      case 0x29: // EMPTY_TUPLE
        this.#push({ kind: "tuple", items: [] });
        return undefined;
      case 0x74: // TUPLE
        this.#push({ kind: "tuple", items: this.#keep(this.#popMark(offset), offset) });
        return undefined;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const items: PickleValue[] = new Array(op - 0x84);
        for (let i = items.length - 1; i >= 0; i--) items[i] = this.#pop(offset);
        this.#push({ kind: "tuple", items });
        return undefined;
      }
      case 0x5d: // EMPTY_LIST
        this.#push({ kind: "list", items: [] });
        return undefined;
      case 0x6c: // LIST
        this.#push({ kind: "list", items: this.#keep(this.#popMark(offset), offset) });
        return undefined;
      case 0x7d: // EMPTY_DICT
        this.#push({ kind: "dict", entries: [] });
        return undefined;
      case 0x64: {
        // DICT
        const items = this.#popMark(offset);
        if (items.length % 2 !== 0) {
          throw new FormatError("MALFORMED", "Cannot build dict: odd number of items", offset);
        }
        const dict: PickleValue = { kind: "dict", entries: [] };
        this.#setItems(dict, items, offset);
        this.#push(dict);
        return undefined;
      }
      case 0x8f: // EMPTY_SET
        this.#push({ kind: "set", items: [], frozen: false });
        return undefined;
      case 0x91: // FROZENSET
        this.#push({ kind: "set", items: this.#keep(this.#popMark(offset), offset), frozen: true });
        return undefined;
      case 0x61: {
        // APPEND: pops the value, then appends to the new top
        const value = this.#pop(offset);
        this.#addItems(this.#top(offset), [value], offset);
        return undefined;
      }
      case 0x65: // APPENDS
      case 0x90: {
        // ADDITEMS
        const items = this.#popMark(offset);
        this.#addItems(this.#top(offset), items, offset);
        return undefined;
      }
      case 0x73: {
        // SETITEM
        const value = this.#pop(offset);
        const key = this.#pop(offset);
        this.#setItems(this.#top(offset), [key, value], offset);
        return undefined;
      }
      case 0x75: {
        // SETITEMS
        const items = this.#popMark(offset);
        if (items.length % 2 !== 0) {
          throw new FormatError("MALFORMED", "Cannot run SETITEMS: odd number of items", offset);
        }
        this.#setItems(this.#top(offset), items, offset);
        return undefined;
      }
      case 0x67: // GET
        this.#push(this.#memoGet(this.#textIndex(offset), offset));
        return undefined;
      case 0x68: // BINGET
        this.#push(this.#memoGet(r.u1(), offset));
        return undefined;
      case 0x6a: // LONG_BINGET
        this.#push(this.#memoGet(r.u4(), offset));
        return undefined;
      case 0x70: // PUT
        this.#memoPut(this.#textIndex(offset), offset);
        return undefined;
      case 0x71: // BINPUT
        this.#memoPut(r.u1(), offset);
        return undefined;
      case 0x72: // LONG_BINPUT
        this.#memoPut(r.u4(), offset);
        return undefined;
      case 0x94: // MEMOIZE: the next index is len(memo)
        this.#memoPut(this.#memo.size, offset);
        return undefined;
      default:
        return this.#stepCall(op, name, offset);
    }
  }

  #textIndex(offset: number): number {
    const index = parsePythonInt(decodeLatin1(this.#r.line()), offset);
    if (index < 0n || index > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError("MALFORMED", `Cannot use memo index '${index}'`, offset);
    }
    return Number(index);
  }

  /** Import, call and persistent-id opcodes. */
  #stepCall(op: number, name: string, offset: number): PickleValue | undefined {
    const r = this.#r;
    switch (op) {
      case 0x63: {
        // GLOBAL
        const module = decodeUtf8(r.line(), offset);
        const nm = decodeUtf8(r.line(), offset);
        this.#push(this.#import(module, nm, "GLOBAL", offset));
        return undefined;
      }
      case 0x93: {
        // STACK_GLOBAL
        const nm = this.#pop(offset);
        const module = this.#pop(offset);
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
        this.#push(
          this.#import(asString(module) ?? null, asString(nm) ?? null, "STACK_GLOBAL", offset),
        );
        return undefined;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: {
        // EXT4 (copyreg registry; pickle.py get_extension rejects codes <= 0)
        const code = op === 0x82 ? r.u1() : op === 0x83 ? r.u2() : r.i4();
        if (code <= 0)
          throw new FormatError("MALFORMED", `Cannot run ${name} ${code}: code <= 0`, offset);
        this.#anomaly("extension-code", offset, `${name} ${code}`);
        const known = this.#extensions.get(code);
        this.#push(
          this.#import(known?.[0] ?? null, known?.[1] ?? null, name as ImportOpcode, offset),
        );
        return undefined;
      }
      case 0x52: // REDUCE
      case 0x81: {
        // NEWOBJ
        const args = this.#pop(offset);
        const callee = this.#pop(offset);
        this.#push(this.#call({ opcode: op === 0x52 ? "REDUCE" : "NEWOBJ", offset, callee, args }));
        return undefined;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = this.#pop(offset);
        const args = this.#pop(offset);
        const callee = this.#pop(offset);
        this.#push(this.#call({ opcode: "NEWOBJ_EX", offset, callee, args, kwargs }));
        return undefined;
      }
      case 0x69: {
        // INST
        const module = decodeUtf8(r.line(), offset);
        const nm = decodeUtf8(r.line(), offset);
        const args: PickleValue = { kind: "tuple", items: this.#popMark(offset) };
        const callee = this.#import(module, nm, "INST", offset);
        this.#push(this.#call({ opcode: "INST", offset, callee, args }));
        return undefined;
      }
      case 0x6f: {
        // OBJ
        const items = this.#popMark(offset);
        const callee = items.shift();
        if (callee === undefined)
          throw new FormatError("MALFORMED", "Cannot run OBJ: no class", offset);
        this.#push(this.#call({ opcode: "OBJ", offset, callee, args: { kind: "tuple", items } }));
        return undefined;
      }
      case 0x62: {
        // BUILD
        const state = this.#pop(offset);
        const target = this.#top(offset);
        this.calls.push({ opcode: "BUILD", offset, callee: target, args: state });
        if (target.kind === "object") {
          target.state = state;
          if (this.#options.joblibInlineArrays) this.#pendingBuild = target;
        }
        return undefined;
      }
      case 0x50: // PERSID
      case 0x51: {
        // BINPERSID
        const pid: PickleValue =
          op === 0x50 ? { kind: "str", value: decodeLatin1(r.line()) } : this.#pop(offset);
        this.persistentIds.push({ pid, offset });
        this.#push({ kind: "persid", pid });
        return undefined;
      }
      default:
        throw new FormatError("MALFORMED", `Cannot run opcode '${name}'`, offset);
    }
  }

  #addItems(target: PickleValue, items: PickleValue[], offset: number): void {
    if (
      target.kind === "list" ||
      target.kind === "object" ||
      (target.kind === "set" && !target.frozen)
    ) {
      for (const item of this.#keep(items, offset, true)) target.items.push(item);
    } else {
      throw new FormatError("MALFORMED", `Cannot append to a '${target.kind}'`, offset);
    }
  }

  #setItems(target: PickleValue, items: PickleValue[], offset: number): void {
    const kept = this.#keep(items, offset, true);
    if (target.kind === "dict") {
      for (let i = 0; i + 1 < kept.length; i += 2) {
        target.entries.push([kept[i] as PickleValue, kept[i + 1] as PickleValue]);
      }
    } else if (target.kind === "object") {
      for (const item of kept) target.items.push(item);
    } else {
      throw new FormatError("MALFORMED", `Cannot set items on a '${target.kind}'`, offset);
    }
  }

  /** Runs a nested stream (a joblib object array) at the current position with a fresh memo. */
  readonly #inline = (): void => {
    if (this.#depth >= this.#limits.maxNesting) {
      throw new FormatError("LIMIT_EXCEEDED", "Cannot read nested pickle: too deep", this.#r.pos);
    }
    const nested = new PickleMachine(this.#r.bytes, this.#r.pos, this.#options, this.#depth + 1);
    const stream = nested.run();
    this.imports.push(...stream.imports);
    this.calls.push(...stream.calls);
    this.persistentIds.push(...nested.persistentIds);
    this.anomalies.push(...stream.anomalies);
    this.inlineArrays.push(...stream.inlineArrays);
    for (const [opName, count] of stream.opcodeCounts) {
      const op = OPCODES.findIndex((info) => info?.name === opName);
      if (op >= 0) this.#counts[op] = (this.#counts[op] as number) + count;
    }
    if (stream.error) throw stream.error;
    this.#r.pos = stream.end;
  };
}
