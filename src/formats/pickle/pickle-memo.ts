/** The unpickler's memo (`pickle.py`: `self.memo`), fresh for every stream. */
import { FormatError } from "../format-error.js";
import type { AnomalySink } from "./pickle-stack.js";
import type { PickleValue } from "./values.js";

export class PickleMemo {
  readonly #slots = new Map<number, PickleValue>();
  readonly #max: number;
  readonly #anomaly: AnomalySink;

  constructor(max: number, anomaly: AnomalySink) {
    this.#max = max;
    this.#anomaly = anomaly;
  }

  /** MEMOIZE stores at `len(memo)`. */
  get size(): number {
    return this.#slots.size;
  }

  get(index: number, offset: number): PickleValue {
    const value = this.#slots.get(index);
    if (value === undefined) {
      throw new FormatError("MALFORMED", `Cannot read memo slot '${index}': it is empty`, offset);
    }
    return value;
  }

  put(index: number, value: PickleValue, offset: number): void {
    // _pickle.c sizes its memo array by the index: PUT 2**31-1 asks it for gigabytes.
    if (index < 0 || index >= this.#max) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot PUT memo index '${index}': out of range`,
        offset,
      );
    }
    if (this.#slots.has(index)) {
      this.#anomaly("memo-overwrite", offset, `memo slot ${index} is written twice`);
    }
    this.#slots.set(index, value);
  }
}
