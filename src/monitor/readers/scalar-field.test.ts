import assert from "node:assert/strict";
import { test } from "node:test";
import { matchScalarField } from "./scalar-field.js";

test("matchScalarField() maps the common tag spellings to loss, lr and grad_norm", () => {
  const cases: [string, string | undefined, number | undefined][] = [
    ["loss", "loss", 2],
    ["train/loss", "loss", 2],
    ["train_loss", "loss", 2],
    ["Loss/train", "loss", 1],
    ["epoch_loss", "loss", 1],
    ["val/loss", "loss", 0],
    ["eval_loss", "loss", 0],
    ["lr", "lr", 2],
    ["train/learning_rate", "lr", 2],
    ["epoch_learning_rate", "lr", 1],
    ["lr-Adam", "lr", 1],
    ["grad_norm", "gradNorm", 2],
    ["train/gradient_norm", "gradNorm", 2],
    ["GradNorm", "gradNorm", 2],
    ["loss_scale", undefined, undefined],
    ["accuracy", undefined, undefined],
    ["world_size", undefined, undefined],
  ];
  for (const [name, field, priority] of cases) {
    const match = matchScalarField(name);
    assert.equal(match?.field, field, name);
    assert.equal(match?.priority, priority, name);
  }
});
