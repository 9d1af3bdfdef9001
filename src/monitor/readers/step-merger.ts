/**
 * Merges the scalars of consecutive TensorBoard events of one step into one StepRecord.
 * PyTorch's `add_scalar` writes one event per tag, so `loss`, `lr` and `grad_norm` of step 5
 * arrive as three events. A new step, or the same tag again at the same step (a re-run step),
 * closes the record: steps that go back are kept as they came, never merged or purged.
 */
import type { StepRecord } from "../telemetry.js";
import { matchScalarField, type ScalarField } from "./scalar-field.js";
import type { TbScalar } from "./tb-event.js";

interface Slot {
  readonly value: number;
  readonly priority: number;
  readonly tag: string;
}

interface OpenStep {
  readonly step: number;
  readonly time: number;
  readonly source: string;
  readonly slots: Partial<Record<ScalarField, Slot>>;
  readonly tags: Set<string>;
}

export class StepMerger {
  readonly #run: string;
  readonly #rank: number;
  #open: OpenStep | undefined;

  constructor(run: string, rank: number) {
    this.#run = run;
    this.#rank = rank;
  }

  /** Adds the scalars of one event; returns the records it closed. */
  add(step: number, time: number, source: string, scalars: readonly TbScalar[]): StepRecord[] {
    const closed: StepRecord[] = [];
    for (const { tag, value } of scalars) {
      if (this.#open !== undefined && (this.#open.step !== step || this.#open.tags.has(tag))) {
        closed.push(...this.flush());
      }
      this.#open ??= { step, time, source, slots: {}, tags: new Set() };
      this.#open.tags.add(tag);
      const match = matchScalarField(tag);
      if (match === undefined) continue;
      const held = this.#open.slots[match.field];
      if (held === undefined || match.priority > held.priority) {
        this.#open.slots[match.field] = { value, priority: match.priority, tag };
      }
    }
    return closed;
  }

  /** Closes the open step, if any. */
  flush(): StepRecord[] {
    const open = this.#open;
    if (open === undefined) return [];
    this.#open = undefined;
    return [
      {
        type: "step",
        run: this.#run,
        rank: this.#rank,
        time: open.time,
        source: open.source,
        step: open.step,
        loss: open.slots.loss?.value,
        lr: open.slots.lr?.value,
        gradNorm: open.slots.gradNorm?.value,
      },
    ];
  }
}
