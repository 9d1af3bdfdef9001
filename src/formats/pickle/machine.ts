/**
 * A symbolic pickle machine: it runs every opcode with CPython's stack, mark and memo semantics
 * (`Lib/pickle.py` `_Unpickler`, `Modules/_pickle.c`) but imports and calls nothing. It records
 * what the real unpickler would import and call, with literal arguments where they are literal.
 */
import { FormatError } from "../format-error.js";
import { fixImports } from "./compat-names.js";
import { skipInlineArray } from "./inline-array.js";
import { HIGHEST_PROTOCOL, OPCODES } from "./opcodes.js";
import { StreamReader } from "./stream-reader.js";
import {
  decodeLatin1,
  decodeRawUnicodeEscape,
  decodeStringLiteral,
  decodeUtf8,
  parsePythonInt,
} from "./text-args.js";
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
  NONE,
  type PickleObjectValue,
  type PickleValue,
} from "./values.js";

/** Opcodes only protocol 0/1 writers emit; CPython never writes them after PROTO 2. */
const TEXT_OPCODES = new Set(["INT", "LONG", "STRING", "UNICODE", "FLOAT", "GET", "PUT"]);

export class PickleMachine {
  readonly #r: StreamReader;
  readonly #limits: PickleLimits;
  readonly #options: PickleOptions;
  readonly #depth: number;
  #stack: PickleValue[] = [];
  readonly #marks: PickleValue[][] = [];
  readonly #memo = new Map<number, PickleValue>();
  #stackTotal = 0;
  #protocol = 0;
  #frameEnd = -1;
  #pendingBuild: PickleObjectValue | undefined;
  readonly #extensions = new Map<number, readonly [string, string]>();
  readonly counts = new Map<string, number>();
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
    return {
      start,
      end: this.#r.pos,
      protocol: this.#protocol,
      opcodeCounts: this.counts,
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
    if (this.anomalies.length < 1000) this.anomalies.push({ code, offset, detail });
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

  #top(offset: number): PickleValue {
    const value = this.#stack[this.#stack.length - 1];
    if (value === undefined) {
      throw new FormatError("MALFORMED", "Cannot read pickle stack: stack empty", offset);
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

  #discard(values: readonly PickleValue[], offset: number): void {
    for (const value of values) {
      if (value.kind === "object") {
        this.#anomaly("discarded-call", offset, "a call result is discarded by POP");
      }
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
    const args = call.opcode === "BUILD" ? NONE : call.args;
    return {
      kind: "object",
      callee: call.callee,
      args,
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
    if (index < 0) throw new FormatError("MALFORMED", "Cannot PUT a negative memo index", offset);
    // _pickle.c sizes its memo array by the index: PUT 2**31-1 asks it for gigabytes.
    if (index >= this.#limits.maxMemo) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot PUT memo index '${index}': over the limit`,
        offset,
      );
    }
    if (this.#memo.has(index)) {
      this.#anomaly("memo-overwrite", offset, `memo slot ${index} is written twice`);
    } else if (this.#memo.size >= this.#limits.maxMemo) {
      throw new FormatError("LIMIT_EXCEEDED", "Cannot grow memo: over the entry limit", offset);
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
      const byte = r.u1();
      const info = OPCODES[byte];
      if (info === undefined) {
        throw new FormatError("MALFORMED", `Cannot run opcode 0x${byte.toString(16)}`, offset);
      }
      if (++executed > this.#limits.maxOpcodes) {
        throw new FormatError("LIMIT_EXCEEDED", "Cannot run pickle: over the opcode limit", offset);
      }
      const name = info.name;
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
      if (this.#protocol >= 2 && TEXT_OPCODES.has(name)) {
        this.#anomaly("text-opcode", offset, `${name} in a protocol ${this.#protocol} stream`);
      }
      const done = this.#stepAt(name, offset);
      if (this.#frameEnd >= 0 && r.pos > this.#frameEnd && offset < this.#frameEnd) {
        this.#anomaly("frame-violation", offset, `${name} crosses the end of its frame`);
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
  #stepAt(name: string, offset: number): PickleValue | undefined {
    try {
      return this.#step(name, offset);
    } catch (error) {
      if (error instanceof FormatError && error.code === "TRUNCATED" && error.offset !== offset) {
        throw new FormatError("TRUNCATED", `Cannot read ${name} argument: input ends`, offset, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Executes one opcode; returns the result value on STOP. */
  #step(name: string, offset: number): PickleValue | undefined {
    const r = this.#r;
    switch (name) {
      case "PROTO": {
        const proto = r.u1();
        if (proto > HIGHEST_PROTOCOL) {
          throw new FormatError("MALFORMED", `Cannot read pickle protocol '${proto}'`, offset);
        }
        if (offset !== 0 && (this.counts.get("PROTO") !== 1 || this.#stackTotal > 0)) {
          this.#anomaly("proto-misplaced", offset, "PROTO is not the first opcode");
        }
        this.#protocol = proto;
        return undefined;
      }
      case "FRAME": {
        const length = r.u8();
        if (this.#frameEnd > offset) this.#anomaly("frame-violation", offset, "nested FRAME");
        // _pickle.c load_frame reads the whole frame first: a short one is "pickle data was truncated".
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
      case "STOP":
        return this.#pop(offset);
      case "MARK":
        if (this.#marks.length >= this.#limits.maxMarkDepth) {
          throw new FormatError("LIMIT_EXCEEDED", "Cannot push MARK: over the mark limit", offset);
        }
        this.#marks.push(this.#stack);
        this.#stack = [];
        return undefined;
      case "POP":
        // pickle.py load_pop: with an empty stack, POP drops the last mark instead.
        if (this.#stack.length > 0) this.#discard([this.#pop(offset)], offset);
        else this.#discard(this.#popMark(offset), offset);
        return undefined;
      case "POP_MARK":
        this.#discard(this.#popMark(offset), offset);
        return undefined;
      case "DUP":
        this.#push(this.#top(offset));
        return undefined;
      case "NONE":
        this.#push(NONE);
        return undefined;
      case "NEWTRUE":
      case "NEWFALSE":
        this.#push({ kind: "bool", value: name === "NEWTRUE" });
        return undefined;
      case "INT": {
        const text = decodeLatin1(r.line());
        if (text === "00" || text === "01") this.#push({ kind: "bool", value: text === "01" });
        else this.#push({ kind: "int", value: parsePythonInt(text, offset) });
        return undefined;
      }
      case "LONG": {
        const text = decodeLatin1(r.line());
        this.#push({ kind: "int", value: parsePythonInt(text.replace(/L$/, ""), offset) });
        return undefined;
      }
      case "BININT":
        this.#push({ kind: "int", value: BigInt(r.i4()) });
        return undefined;
      case "BININT1":
        this.#push({ kind: "int", value: BigInt(r.u1()) });
        return undefined;
      case "BININT2":
        this.#push({ kind: "int", value: BigInt(r.u2()) });
        return undefined;
      case "LONG1":
        this.#push({ kind: "int", value: r.long(r.u1()) });
        return undefined;
      case "LONG4": {
        const n = r.i4();
        if (n < 0) throw new FormatError("MALFORMED", "Cannot read LONG4: negative length", offset);
        this.#push({ kind: "int", value: r.long(n) });
        return undefined;
      }
      case "FLOAT": {
        const value = Number(decodeLatin1(r.line()).trim());
        this.#push({ kind: "float", value });
        return undefined;
      }
      case "BINFLOAT":
        this.#push({ kind: "float", value: r.f8() });
        return undefined;
      case "STRING":
        this.#push({ kind: "str", value: decodeStringLiteral(r.line(), offset) });
        return undefined;
      case "BINSTRING":
      case "SHORT_BINSTRING": {
        const n = name === "BINSTRING" ? r.i4() : r.u1();
        // Python 3 decodes protocol-2 byte strings as ASCII by default (`encoding="ASCII"`).
        this.#push({ kind: "str", value: decodeLatin1(r.take(n, name)) });
        return undefined;
      }
      case "UNICODE":
        this.#push({ kind: "str", value: decodeRawUnicodeEscape(r.line(), offset) });
        return undefined;
      case "BINUNICODE":
      case "SHORT_BINUNICODE":
      case "BINUNICODE8": {
        const n = name === "BINUNICODE" ? r.u4() : name === "SHORT_BINUNICODE" ? r.u1() : r.u8();
        this.#push({ kind: "str", value: decodeUtf8(r.take(n, name), offset) });
        return undefined;
      }
      case "BINBYTES":
      case "SHORT_BINBYTES":
      case "BINBYTES8":
      case "BYTEARRAY8": {
        const n = name === "BINBYTES" ? r.u4() : name === "SHORT_BINBYTES" ? r.u1() : r.u8();
        const at = r.pos;
        this.#push({ kind: "bytes", value: r.take(n, name), offset: at });
        return undefined;
      }
      case "NEXT_BUFFER":
        this.#anomaly("out-of-band-buffer", offset, "the stream needs out-of-band buffers");
        this.#push({ kind: "buffer", offset });
        return undefined;
      case "READONLY_BUFFER":
        this.#top(offset);
        return undefined;
      case "EMPTY_TUPLE":
        this.#push({ kind: "tuple", items: [] });
        return undefined;
      case "TUPLE":
        this.#push({ kind: "tuple", items: this.#popMark(offset) });
        return undefined;
      case "TUPLE1":
      case "TUPLE2":
      case "TUPLE3": {
        const n = name === "TUPLE1" ? 1 : name === "TUPLE2" ? 2 : 3;
        const items: PickleValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(this.#pop(offset));
        this.#push({ kind: "tuple", items });
        return undefined;
      }
      case "EMPTY_LIST":
        this.#push({ kind: "list", items: [] });
        return undefined;
      case "LIST":
        this.#push({ kind: "list", items: this.#popMark(offset) });
        return undefined;
      case "EMPTY_DICT":
        this.#push({ kind: "dict", entries: [] });
        return undefined;
      case "DICT": {
        const items = this.#popMark(offset);
        if (items.length % 2 !== 0) {
          throw new FormatError("MALFORMED", "Cannot build dict: odd number of items", offset);
        }
        const entries: Array<readonly [PickleValue, PickleValue]> = [];
        for (let i = 0; i < items.length; i += 2) {
          entries.push([items[i] as PickleValue, items[i + 1] as PickleValue]);
        }
        this.#push({ kind: "dict", entries });
        return undefined;
      }
      case "EMPTY_SET":
        this.#push({ kind: "set", items: [], frozen: false });
        return undefined;
      case "FROZENSET":
        this.#push({ kind: "set", items: this.#popMark(offset), frozen: true });
        return undefined;
      case "APPEND":
        this.#addItems(this.#top2(offset), [this.#pop(offset)], offset);
        return undefined;
      case "APPENDS":
      case "ADDITEMS": {
        const items = this.#popMark(offset);
        this.#addItems(this.#top(offset), items, offset);
        return undefined;
      }
      case "SETITEM": {
        const value = this.#pop(offset);
        const key = this.#pop(offset);
        this.#setItems(this.#top(offset), [key, value], offset);
        return undefined;
      }
      case "SETITEMS": {
        const items = this.#popMark(offset);
        if (items.length % 2 !== 0) {
          throw new FormatError("MALFORMED", "Cannot run SETITEMS: odd number of items", offset);
        }
        this.#setItems(this.#top(offset), items, offset);
        return undefined;
      }
      case "GET":
        this.#push(this.#memoGet(Number(parsePythonInt(decodeLatin1(r.line()), offset)), offset));
        return undefined;
      case "BINGET":
        this.#push(this.#memoGet(r.u1(), offset));
        return undefined;
      case "LONG_BINGET":
        this.#push(this.#memoGet(r.u4(), offset));
        return undefined;
      case "PUT": {
        const index = parsePythonInt(decodeLatin1(r.line()), offset);
        if (index > BigInt(Number.MAX_SAFE_INTEGER) || index < 0n) {
          throw new FormatError("MALFORMED", `Cannot PUT memo index '${index}'`, offset);
        }
        this.#memoPut(Number(index), offset);
        return undefined;
      }
      case "BINPUT":
        this.#memoPut(r.u1(), offset);
        return undefined;
      case "LONG_BINPUT":
        this.#memoPut(r.u4(), offset);
        return undefined;
      case "MEMOIZE":
        this.#memoPut(this.#memo.size, offset);
        return undefined;
      case "GLOBAL": {
        const module = decodeUtf8(r.line(), offset);
        const nm = decodeUtf8(r.line(), offset);
        this.#push(this.#import(module, nm, "GLOBAL", offset));
        return undefined;
      }
      case "STACK_GLOBAL": {
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
      case "EXT1":
      case "EXT2":
      case "EXT4": {
        const code = name === "EXT1" ? r.u1() : name === "EXT2" ? r.u2() : r.i4();
        this.#anomaly("extension-code", offset, `${name} ${code}`);
        const known = this.#extensions.get(code);
        this.#push(this.#import(known?.[0] ?? null, known?.[1] ?? null, name, offset));
        return undefined;
      }
      case "REDUCE": {
        const args = this.#pop(offset);
        const callee = this.#pop(offset);
        this.#push(this.#call({ opcode: "REDUCE", offset, callee, args }));
        return undefined;
      }
      case "NEWOBJ": {
        const args = this.#pop(offset);
        const callee = this.#pop(offset);
        this.#push(this.#call({ opcode: "NEWOBJ", offset, callee, args }));
        return undefined;
      }
      case "NEWOBJ_EX": {
        const kwargs = this.#pop(offset);
        const args = this.#pop(offset);
        const callee = this.#pop(offset);
        this.#push(this.#call({ opcode: "NEWOBJ_EX", offset, callee, args, kwargs }));
        return undefined;
      }
      case "INST": {
        const module = decodeUtf8(r.line(), offset);
        const nm = decodeUtf8(r.line(), offset);
        const args: PickleValue = { kind: "tuple", items: this.#popMark(offset) };
        const callee = this.#import(module, nm, "INST", offset);
        this.#push(this.#call({ opcode: "INST", offset, callee, args }));
        return undefined;
      }
      case "OBJ": {
        const items = this.#popMark(offset);
        const callee = items.shift();
        if (callee === undefined)
          throw new FormatError("MALFORMED", "Cannot run OBJ: no class", offset);
        this.#push(this.#call({ opcode: "OBJ", offset, callee, args: { kind: "tuple", items } }));
        return undefined;
      }
      case "BUILD": {
        const state = this.#pop(offset);
        const target = this.#top(offset);
        this.#call({ opcode: "BUILD", offset, callee: target, args: state });
        if (target.kind === "object") target.state = state;
        if (this.#options.joblibInlineArrays && target.kind === "object")
          this.#pendingBuild = target;
        return undefined;
      }
      case "PERSID":
      case "BINPERSID": {
        const pid: PickleValue =
          name === "PERSID" ? { kind: "str", value: decodeLatin1(r.line()) } : this.#pop(offset);
        this.persistentIds.push({ pid, offset });
        this.#push({ kind: "persid", pid });
        return undefined;
      }
      default:
        throw new FormatError("MALFORMED", `Cannot run opcode '${name}'`, offset);
    }
  }

  /** The list below the top of the stack, for APPEND (which pops the value first). */
  #top2(offset: number): PickleValue {
    const value = this.#stack[this.#stack.length - 2];
    if (value === undefined) {
      throw new FormatError("MALFORMED", "Cannot run APPEND: stack underflow", offset);
    }
    return value;
  }

  #addItems(target: PickleValue, items: PickleValue[], offset: number): void {
    if (target.kind === "list" || (target.kind === "set" && !target.frozen)) {
      target.items.push(...items);
    } else if (target.kind === "object") {
      target.items.push(...items);
    } else {
      throw new FormatError("MALFORMED", `Cannot append to a '${target.kind}'`, offset);
    }
  }

  #setItems(target: PickleValue, items: PickleValue[], offset: number): void {
    if (target.kind === "dict") {
      for (let i = 0; i < items.length; i += 2) {
        target.entries.push([items[i] as PickleValue, items[i + 1] as PickleValue]);
      }
    } else if (target.kind === "object") {
      target.items.push(...items);
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
    for (const [k, v] of stream.opcodeCounts) this.counts.set(k, (this.counts.get(k) ?? 0) + v);
    if (stream.error) throw stream.error;
    this.#r.pos = stream.end;
  };
}
