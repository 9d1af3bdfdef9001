/**
 * The fast path of `parseTelemetryRecord(JSON.parse(text))` for the record the server ingests
 * by the hundred thousand: a `step` record, read straight from the request's bytes into its
 * StepRecord, with no intermediate object and no number parsed twice. JSON.parse and then the
 * checks of parse-record.ts cost about 5 µs per ~700-byte record, most of it the sketch's
 * numbers and the garbage of two objects per record.
 *
 * Exactness is the contract: when this returns a record, it deep-equals what the slow path
 * returns for the same text (parse-step-bytes.test.ts checks it on fuzzed records). Whenever a
 * record is anything else — another type, a value the slow path would refuse, coerce or
 * reorder, an escape in a string it keeps — it declines (returns undefined) and the caller
 * runs the slow path, which also words any error.
 */
import { DECLINED, JsonCursor } from "./json-cursor.js";
import type { Digests, StepRecord } from "./telemetry.js";

/** As parse-record.ts: longest sketch and string accepted. */
const MAX_SKETCH_DIM = 1024;
const MAX_STRING = 4096;

const QUOTE = 0x22;
const NUL = 0x6e; // n, as in null
const OPEN = 0x7b;
const CLOSE = 0x7d;
const COMMA = 0x2c;

/** Known keys of a step record (numbers, so the per-key dispatch makes no string). */
const Field = {
  Other: 0,
  Type: 1,
  Run: 2,
  Rank: 3,
  Time: 4,
  Timestamp: 5,
  Step: 6,
  WorldSize: 7,
  Loss: 8,
  Lr: 9,
  GradNorm: 10,
  LocalGradNorm: 11,
  GradSketch: 12,
  ParamDigest: 13,
  RngDigest: 14,
  BatchDigest: 15,
  ConfigDigest: 16,
  StepTime: 17,
  WaitTime: 18,
  Optimizer: 19,
  UpdateCheck: 20,
} as const;
type Field = (typeof Field)[keyof typeof Field];

export class StepParser {
  readonly #c: JsonCursor;
  /** Strings that repeat record after record, by position (see JsonCursor.cachedString). */
  readonly #runs: string[] = [];
  readonly #configs: string[] = [];
  readonly #digestKeys: string[] = [];
  readonly #mapKeys: string[] = [];
  readonly #checkKeys: string[] = [];
  readonly #seen: string[] = [];
  readonly #scratch = new Float64Array(MAX_SKETCH_DIM);
  /** The last `optimizer` map read, and its JSON text (see #optimizer). */
  #lastOptimizer: Record<string, number> | undefined;
  #lastOptimizerText: Buffer | undefined;

  constructor(bytes: Buffer) {
    this.#c = new JsonCursor(bytes);
  }

  /** Where the last accepted record's closing brace ended. */
  get end(): number {
    return this.#c.pos;
  }

  /**
   * The step record whose JSON text starts at `start` (after optional whitespace) and ends
   * before `limit`; with `whole`, nothing but whitespace may follow it before `limit`.
   * `source` becomes the record's `source`, as the slow path's `where` does (the server gives
   * none: a place in one request means nothing once the records are stored).
   */
  parse(
    start: number,
    limit: number,
    whole: boolean,
    source: string | undefined,
  ): StepRecord | undefined {
    const c = this.#c;
    c.pos = start;
    c.limit = limit;
    try {
      const record = this.#record(source);
      if (whole && c.ws() !== undefined) return undefined;
      return record;
    } catch (error) {
      if (error === DECLINED) return undefined;
      throw error;
    }
  }

  #record(source: string | undefined): StepRecord {
    const c = this.#c;
    c.expect(OPEN);
    let run: string | undefined;
    let rank: number | undefined;
    let time: number | undefined;
    let timestamp: number | undefined;
    let step: number | undefined;
    let worldSize: number | undefined;
    let loss: number | undefined;
    let lr: number | undefined;
    let gradNorm: number | undefined;
    let localGradNorm: number | undefined;
    let gradSketch: number[] | undefined;
    let paramDigest: string | undefined;
    let rngDigest: Digests | undefined;
    let batchDigest: string | undefined;
    let configDigest: string | undefined;
    let stepTime: number | undefined;
    let waitTime: number | undefined;
    let optimizer: Record<string, number> | undefined;
    let updateRelErr: number | undefined;
    if (c.ws() === CLOSE) throw DECLINED;
    for (;;) {
      c.ws();
      c.stringSpan();
      c.expect(0x3a);
      c.ws();
      switch (this.#field()) {
        case Field.Type:
          if (c.bytes[c.pos] === NUL) c.literal("null");
          else if (c.string() !== "step") throw DECLINED;
          break;
        case Field.Run:
          run = this.#str(this.#runs);
          break;
        case Field.Rank:
          rank = this.#int(0);
          break;
        case Field.Time:
          time = this.#num();
          break;
        case Field.Timestamp:
          timestamp = this.#num();
          break;
        case Field.Step:
          step = this.#int(0);
          break;
        case Field.WorldSize:
          worldSize = this.#int(1);
          break;
        case Field.Loss:
          loss = this.#num();
          break;
        case Field.Lr:
          lr = this.#num();
          break;
        case Field.GradNorm:
          gradNorm = this.#num();
          break;
        case Field.LocalGradNorm:
          localGradNorm = this.#num();
          break;
        case Field.GradSketch:
          gradSketch = this.#sketch();
          break;
        case Field.ParamDigest:
          paramDigest = this.#str();
          break;
        case Field.RngDigest:
          rngDigest = this.#digests();
          break;
        case Field.BatchDigest:
          batchDigest = this.#str();
          break;
        case Field.ConfigDigest:
          configDigest = this.#str(this.#configs);
          break;
        case Field.StepTime:
          stepTime = this.#num();
          break;
        case Field.WaitTime:
          waitTime = this.#num();
          break;
        case Field.Optimizer:
          optimizer = this.#optimizer();
          break;
        case Field.UpdateCheck:
          updateRelErr = this.#updateCheck();
          break;
        default:
          c.skip();
      }
      const next = c.ws();
      c.pos++;
      if (next === CLOSE) break;
      if (next !== COMMA) throw DECLINED;
    }
    if (run === undefined || run === "" || step === undefined) throw DECLINED;
    // Same keys in the same order as parse-record.ts builds (`{type, ...base, step, …}`).
    return {
      type: "step",
      run,
      rank: rank ?? 0,
      time: time ?? timestamp ?? Number.NaN,
      source,
      step,
      worldSize,
      loss,
      lr,
      gradNorm,
      localGradNorm,
      gradSketch,
      paramDigest,
      rngDigest,
      batchDigest,
      configDigest,
      stepTime,
      waitTime,
      optimizer,
      updateRelErr,
    };
  }

  /**
   * Which known key the last span is: by length and first byte, then one comparison (no
   * string is made per key).
   */
  #field(): Field {
    const c = this.#c;
    const first = c.bytes[c.spanStart];
    switch (c.spanEnd - c.spanStart) {
      case 2:
        return this.#is("lr", Field.Lr);
      case 3:
        return this.#is("run", Field.Run);
      case 4:
        if (first === 0x73) return this.#is("step", Field.Step);
        else if (first === 0x72) return this.#is("rank", Field.Rank);
        else if (first === 0x6c) return this.#is("loss", Field.Loss);
        else if (c.bytes[c.spanStart + 1] === 0x69) return this.#is("time", Field.Time);
        else return this.#is("type", Field.Type);
      case 9:
        if (first === 0x67) return this.#is("grad_norm", Field.GradNorm);
        else if (first === 0x73) return this.#is("step_time", Field.StepTime);
        else if (first === 0x77) return this.#is("wait_time", Field.WaitTime);
        else if (first === 0x6f) return this.#is("optimizer", Field.Optimizer);
        else return this.#is("timestamp", Field.Timestamp);
      case 10:
        if (first === 0x77) return this.#is("world_size", Field.WorldSize);
        else return this.#is("rng_digest", Field.RngDigest);
      case 11:
        return this.#is("grad_sketch", Field.GradSketch);
      case 12:
        if (first === 0x70) return this.#is("param_digest", Field.ParamDigest);
        else if (first === 0x62) return this.#is("batch_digest", Field.BatchDigest);
        else return this.#is("update_check", Field.UpdateCheck);
      case 13:
        return this.#is("config_digest", Field.ConfigDigest);
      case 15:
        return this.#is("local_grad_norm", Field.LocalGradNorm);
      default:
        return Field.Other;
    }
  }

  #is(name: string, field: Field): Field {
    return this.#c.spanIs(name) ? field : Field.Other;
  }

  /** A number, null (undefined), or the strings "NaN", "Infinity", "-Infinity". */
  #num(): number | undefined {
    const c = this.#c;
    const b = c.bytes[c.pos];
    if (b === QUOTE) return this.#nonFinite();
    if (b === NUL) {
      c.literal("null");
      return undefined;
    }
    return c.number();
  }

  #nonFinite(): number {
    const c = this.#c;
    c.stringSpan();
    if (c.spanIs("NaN")) return Number.NaN;
    if (c.spanIs("Infinity")) return Number.POSITIVE_INFINITY;
    if (c.spanIs("-Infinity")) return Number.NEGATIVE_INFINITY;
    throw DECLINED;
  }

  #int(min: number): number | undefined {
    const value = this.#num();
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= min)) throw DECLINED;
    return value;
  }

  #str(cache?: string[]): string | undefined {
    const c = this.#c;
    if (c.bytes[c.pos] === NUL) {
      c.literal("null");
      return undefined;
    }
    const value = cache === undefined ? c.string() : c.cachedString(cache, 0);
    if (value.length > MAX_STRING) throw DECLINED;
    return value;
  }

  #sketch(): number[] | undefined {
    const c = this.#c;
    if (c.bytes[c.pos] === NUL) {
      c.literal("null");
      return undefined;
    }
    c.expect(0x5b);
    if (c.ws() === 0x5d) {
      c.pos++;
      return [];
    }
    // Values go to a scratch array first, so the record's array is allocated once, at its size.
    const scratch = this.#scratch;
    for (let n = 0; ; ) {
      c.ws();
      if (n === MAX_SKETCH_DIM) throw DECLINED;
      scratch[n++] = c.bytes[c.pos] === QUOTE ? this.#nonFinite() : c.number();
      const next = c.ws();
      c.pos++;
      if (next === 0x5d) {
        const out = new Array<number>(n);
        for (let i = 0; i < n; i++) out[i] = scratch[i]!;
        return out;
      }
      if (next !== COMMA) throw DECLINED;
    }
  }

  /**
   * `{"torch": "…", …}` or one string (`{all: …}`). Keys that JSON.parse would reorder (array
   * indexes), `__proto__`, repeated keys and null values decline: the slow path decides those.
   */
  #digests(): Digests | undefined {
    const c = this.#c;
    const b = c.bytes[c.pos];
    if (b === NUL) {
      c.literal("null");
      return undefined;
    }
    if (b === QUOTE) return { all: c.string() };
    c.expect(OPEN);
    const out: Record<string, string> = {};
    for (let i = 0; ; i++) {
      const key = this.#key(i, this.#digestKeys);
      if (key === undefined) return out;
      if (Object.hasOwn(out, key)) throw DECLINED;
      const value = this.#str();
      if (value === undefined) throw DECLINED;
      out[key] = value;
    }
  }

  /**
   * The optimizer's hyperparameters, which repeat record after record: when the text is the
   * same bytes as the last map's, that map itself (records are read-only, so they share it),
   * neither parsed nor allocated again; a record's fields are as the slow path gives them.
   */
  #optimizer(): Record<string, number> | undefined {
    const c = this.#c;
    const last = this.#lastOptimizerText;
    if (
      last !== undefined &&
      c.pos + last.length <= c.limit &&
      c.bytes.compare(last, 0, last.length, c.pos, c.pos + last.length) === 0
    ) {
      c.pos += last.length;
      return this.#lastOptimizer;
    }
    const start = c.pos;
    const map = this.#numberMap();
    if (map !== undefined) {
      this.#lastOptimizer = map;
      this.#lastOptimizerText = Buffer.from(c.bytes.subarray(start, c.pos));
    }
    return map;
  }

  /** As parse-record.ts's numberMap: numbers, booleans as 1/0, number lists as `name.i`. */
  #numberMap(): Record<string, number> | undefined {
    const c = this.#c;
    if (c.bytes[c.pos] === NUL) {
      c.literal("null");
      return undefined;
    }
    c.expect(OPEN);
    const out: Record<string, number> = {};
    const seen = this.#seen;
    seen.length = 0;
    for (let i = 0; ; i++) {
      const key = this.#key(i, this.#mapKeys);
      if (key === undefined) return out;
      if (seen.includes(key)) throw DECLINED;
      seen.push(key);
      const b = c.bytes[c.pos];
      if (b === 0x74) {
        c.literal("true");
        out[key] = 1;
      } else if (b === 0x66) {
        c.literal("false");
        out[key] = 0;
      } else if (b === QUOTE) {
        // Other strings are skipped, as there; one with an escape declines (stringSpan).
        c.stringSpan();
        if (c.spanIs("NaN")) out[key] = Number.NaN;
        else if (c.spanIs("Infinity")) out[key] = Number.POSITIVE_INFINITY;
        else if (c.spanIs("-Infinity")) out[key] = Number.NEGATIVE_INFINITY;
      } else if (b === 0x5b) this.#numberList(out, key);
      else if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39)) out[key] = c.number();
      else c.skip();
    }
  }

  #numberList(out: Record<string, number>, key: string): void {
    const c = this.#c;
    c.pos++;
    if (c.ws() === 0x5d) {
      c.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      const b = c.ws();
      if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39))
        out[`${key}.${i}`] = c.number();
      else c.skip(1);
      const next = c.ws();
      c.pos++;
      if (next === 0x5d) return;
      if (next !== COMMA) throw DECLINED;
    }
  }

  /** `update_check`: its `rel_err` when it is an object; anything else is ignored, as there. */
  #updateCheck(): number | undefined {
    const c = this.#c;
    if (c.bytes[c.pos] !== OPEN) {
      c.skip();
      return undefined;
    }
    c.pos++;
    let relErr: number | undefined;
    for (let i = 0; ; i++) {
      const key = this.#key(i, this.#checkKeys);
      if (key === undefined) return relErr;
      if (key === "rel_err") relErr = this.#num();
      else c.skip(1);
    }
  }

  /**
   * The next member's key of an object whose `{` is consumed (the `i`-th member), the cursor
   * left on its value; undefined at the closing brace (consumed). Keys JSON.parse would put
   * first (array indexes) and `__proto__` (no own property of ours) decline.
   */
  #key(i: number, cache: string[]): string | undefined {
    const c = this.#c;
    let next = c.ws();
    if (i > 0) {
      c.pos++;
      if (next === CLOSE) return undefined;
      if (next !== COMMA) throw DECLINED;
      next = c.ws();
    } else if (next === CLOSE) {
      c.pos++;
      return undefined;
    }
    const key = c.cachedString(cache, i);
    const first = key.charCodeAt(0);
    if ((first >= 0x30 && first <= 0x39) || key === "__proto__") throw DECLINED;
    c.expect(0x3a);
    c.ws();
    return key;
  }
}
