/**
 * Which telemetry field a TensorBoard tag or MLflow metric key holds, by its name. Names are
 * free-form, so a clear name (`train/loss`, `lr`) wins over one that only mentions the quantity
 * (`epoch_loss`, `lr-Adam`), and validation metrics lose to both.
 */

export type ScalarField = "loss" | "lr" | "gradNorm";

export interface FieldMatch {
  readonly field: ScalarField;
  /** Higher wins when two names of one step map to the same field. */
  readonly priority: number;
}

const GRAD_NORM = /grad(ient)?[_/ -]?norm/i;
const LR_EXACT = /(^|\/)(lr|learning_rate)$/i;
const LOSS_EXACT = /(^|\/)(train[_/])?loss$/i;
const LR_MENTION = /learning_rate|(^|[/_. -])lr([/_. -]|$)/i;
/** Mixed-precision loss scalers log `loss_scale`; it is not a loss. */
const LOSS_SCALE = /loss[_/ -]?scal/i;
const EVALUATION = /(^|[/_. -])(val|valid|validation|eval|evaluation|test)([/_. -]|$)/i;

const EXACT = 2;
const MENTION = 1;
const EVALUATION_PRIORITY = 0;

function classify(name: string): FieldMatch | undefined {
  if (GRAD_NORM.test(name)) return { field: "gradNorm", priority: EXACT };
  if (LR_EXACT.test(name)) return { field: "lr", priority: EXACT };
  if (LOSS_SCALE.test(name)) return undefined;
  if (LOSS_EXACT.test(name)) return { field: "loss", priority: EXACT };
  if (LR_MENTION.test(name)) return { field: "lr", priority: MENTION };
  if (/loss/i.test(name)) return { field: "loss", priority: MENTION };
  return undefined;
}

export function matchScalarField(name: string): FieldMatch | undefined {
  const match = classify(name);
  if (match === undefined || !EVALUATION.test(name)) return match;
  return { field: match.field, priority: EVALUATION_PRIORITY };
}
