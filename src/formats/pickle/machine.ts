/**
 * A symbolic pickle machine: it runs every opcode with CPython's stack, mark and memo semantics
 * (`Lib/pickle.py` `_Unpickler`, `Modules/_pickle.c`) but imports and calls nothing. It records
 * what the real unpickler would import and call, with literal arguments where they are literal.
 */
import { FormatError } from "../format-error.js";
import { runCallOp } from "./call-ops.js";
import { CallRecorder } from "./call-recorder.js";
import { runContainerOp } from "./container-ops.js";
import { skipInlineArray } from "./inline-array.js";
import { readLiteral } from "./literal-ops.js";
import { HIGHEST_PROTOCOL, OPCODES } from "./opcodes.js";
import { PickleMemo } from "./pickle-memo.js";
import { type AnomalySink, PickleStack } from "./pickle-stack.js";
import { StreamReader } from "./stream-reader.js";
import {
  DEFAULT_PICKLE_LIMITS,
  type InlineArray,
  type PickleAnomaly,
  type PickleAnomalyCode,
  type PickleLimits,
  type PickleOptions,
  type PickleStream,
} from "./types.js";
import type { PickleObjectValue, PickleValue } from "./values.js";

/** Opcodes only protocol 0/1 writers emit (INT LONG STRING UNICODE FLOAT GET PUT). */
const TEXT_OPCODES = new Set([0x49, 0x4c, 0x53, 0x56, 0x46, 0x67, 0x70]);
const MAX_ANOMALIES = 1000;

export class PickleMachine {
  readonly #r: StreamReader;
  readonly #limits: PickleLimits;
  readonly #options: PickleOptions;
  readonly #depth: number;
  readonly #stack: PickleStack;
  readonly #memo: PickleMemo;
  #frameEnd = -1;
  #pendingBuild: PickleObjectValue | undefined;
  readonly #counts = new Uint32Array(256);
  readonly #recorder = new CallRecorder();
  readonly #sink: AnomalySink = (code, offset, detail) => this.#anomaly(code, offset, detail);
  readonly anomalies: PickleAnomaly[] = [];
  readonly inlineArrays: InlineArray[] = [];

  constructor(bytes: Uint8Array, start: number, options: PickleOptions = {}, depth = 0) {
    this.#r = new StreamReader(bytes, start);
    this.#limits = { ...DEFAULT_PICKLE_LIMITS, ...options.limits };
    this.#options = options;
    this.#depth = depth;
    this.#stack = new PickleStack(this.#limits, this.#sink);
    this.#memo = new PickleMemo(this.#limits.maxMemo, this.#sink);
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
      protocol: this.#recorder.protocol,
      opcodeCounts,
      imports: this.#recorder.imports,
      calls: this.#recorder.calls,
      persistentIds: this.#recorder.persistentIds,
      anomalies: this.anomalies,
      inlineArrays: this.inlineArrays,
      result,
      error,
    };
  }

  #anomaly(code: PickleAnomalyCode, offset: number, detail: string): void {
    if (this.anomalies.length < MAX_ANOMALIES) this.anomalies.push({ code, offset, detail });
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
      const protocol = this.#recorder.protocol;
      if (protocol >= 2 && TEXT_OPCODES.has(op)) {
        this.#anomaly("text-opcode", offset, `${info.name} in a protocol ${protocol} stream`);
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
        this.#stack.push(literal);
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
        if (this.#counts[0x80] !== 1 || this.#stack.total > 0 || this.#stack.markDepth > 0) {
          this.#anomaly("proto-misplaced", offset, "PROTO is not the first opcode");
        }
        this.#recorder.protocol = proto;
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
        return this.#stack.pop(offset);
      case 0x28: // MARK
        this.#stack.pushMark(offset);
        return undefined;
      case 0x30: {
        // POP: with an empty stack it drops the last mark (pickle.py load_pop)
        const stack = this.#stack;
        stack.discard(stack.isEmpty ? stack.popMark(offset) : [stack.pop(offset)], offset);
        return undefined;
      }
      case 0x31: // POP_MARK
        this.#stack.discard(this.#stack.popMark(offset), offset);
        return undefined;
      case 0x32: // DUP
        this.#stack.push(this.#stack.top(offset));
        return undefined;
      case 0x97: // NEXT_BUFFER
        this.#anomaly("out-of-band-buffer", offset, "the stream needs out-of-band buffers");
        this.#stack.push({ kind: "buffer", offset });
        return undefined;
      case 0x98: // READONLY_BUFFER
        this.#stack.top(offset);
        return undefined;
      default: {
        if (runContainerOp({ stack: this.#stack, memo: this.#memo, reader: r }, op, offset)) {
          return undefined;
        }
        const built = runCallOp(
          { stack: this.#stack, reader: r, recorder: this.#recorder, anomaly: this.#sink },
          op,
          name,
          offset,
        );
        if (built !== undefined && this.#options.joblibInlineArrays) this.#pendingBuild = built;
        return undefined;
      }
    }
  }

  /** Runs a nested stream (a joblib object array) at the current position with a fresh memo. */
  readonly #inline = (): void => {
    if (this.#depth >= this.#limits.maxNesting) {
      throw new FormatError("LIMIT_EXCEEDED", "Cannot read nested pickle: too deep", this.#r.pos);
    }
    const nested = new PickleMachine(this.#r.bytes, this.#r.pos, this.#options, this.#depth + 1);
    const stream = nested.run();
    this.#recorder.absorb(nested.#recorder);
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
