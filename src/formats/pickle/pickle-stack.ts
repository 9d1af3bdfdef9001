/**
 * The unpickler's stack and mark stack (`pickle.py`: `self.stack`, `self.metastack`), with the
 * bounds that keep a hostile stream from exhausting memory.
 */
import { FormatError } from "../format-error.js";
import type { PickleAnomalyCode, PickleLimits } from "./types.js";
import type { PickleValue } from "./values.js";

/** Reports an anomaly to the machine that owns the stack. */
export type AnomalySink = (code: PickleAnomalyCode, offset: number, detail: string) => void;

/** New tuples this small are call arguments, which findings need whatever the budget. */
const ALWAYS_KEPT_ITEMS = 8;

export class PickleStack {
  #stack: PickleValue[] = [];
  readonly #marks: PickleValue[][] = [];
  #total = 0;
  /** Container items kept so far; past the budget, data containers stop keeping items. */
  #retained = 0;
  readonly #limits: PickleLimits;
  readonly #anomaly: AnomalySink;

  constructor(limits: PickleLimits, anomaly: AnomalySink) {
    this.#limits = limits;
    this.#anomaly = anomaly;
  }

  /** Values on the stack and under marks. */
  get total(): number {
    return this.#total;
  }

  get markDepth(): number {
    return this.#marks.length;
  }

  get isEmpty(): boolean {
    return this.#stack.length === 0;
  }

  push(value: PickleValue): void {
    if (++this.#total > this.#limits.maxStackDepth) {
      throw new FormatError("LIMIT_EXCEEDED", "Cannot grow pickle stack: over the depth limit");
    }
    this.#stack.push(value);
  }

  pop(offset: number): PickleValue {
    const value = this.#stack.pop();
    if (value === undefined) {
      throw new FormatError("MALFORMED", "Cannot pop pickle stack: stack underflow", offset);
    }
    this.#total -= 1;
    return value;
  }

  top(offset: number): PickleValue {
    const value = this.#stack[this.#stack.length - 1];
    if (value === undefined) {
      throw new FormatError("MALFORMED", "Cannot read pickle stack: stack underflow", offset);
    }
    return value;
  }

  pushMark(offset: number): void {
    if (this.#marks.length >= this.#limits.maxMarkDepth) {
      throw new FormatError("LIMIT_EXCEEDED", "Cannot push MARK: over the mark limit", offset);
    }
    this.#marks.push(this.#stack);
    this.#stack = [];
  }

  popMark(offset: number): PickleValue[] {
    const items = this.#stack;
    const saved = this.#marks.pop();
    if (saved === undefined) {
      throw new FormatError("MALFORMED", "Cannot pop mark: no MARK on the stack", offset);
    }
    this.#stack = saved;
    this.#total -= items.length;
    return items;
  }

  /**
   * Items a new or growing container keeps. Large data pickles hold millions of values that no
   * finding needs; past the budget they are dropped (and reported), which only ever makes
   * arguments look less literal, so the scan errs towards reporting, never towards clean.
   */
  keep(items: PickleValue[], offset: number, growing = false): PickleValue[] {
    this.#retained += items.length;
    const budget = this.#limits.maxRetainedValues;
    if (this.#retained <= budget || (!growing && items.length <= ALWAYS_KEPT_ITEMS)) return items;
    if (this.#retained - items.length <= budget) {
      this.#anomaly("values-elided", offset, "container items past the retention budget dropped");
    }
    return [];
  }

  /** APPEND, APPENDS, ADDITEMS: lists, sets and objects built by a call (list subclasses). */
  addItems(target: PickleValue, items: PickleValue[], offset: number): void {
    const growable =
      target.kind === "list" ||
      target.kind === "object" ||
      (target.kind === "set" && !target.frozen);
    if (!growable)
      throw new FormatError("MALFORMED", `Cannot append to a '${target.kind}'`, offset);
    for (const item of this.keep(items, offset, true)) target.items.push(item);
  }

  /** SETITEM, SETITEMS, DICT: dicts and objects built by a call (OrderedDict). */
  setItems(target: PickleValue, items: PickleValue[], offset: number): void {
    const kept = this.keep(items, offset, true);
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

  /** POP and POP_MARK of a call result mean the call ran only for its side effect. */
  discard(values: readonly PickleValue[], offset: number): void {
    if (values.some((value) => value.kind === "object")) {
      this.#anomaly("discarded-call", offset, "a call result is discarded by POP");
    }
  }
}
