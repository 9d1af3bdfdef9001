/** The alert JSON of the API and webhooks: the CLI's shape, plus the run it belongs to. */
import { Type } from "typebox";

export const AlertSchema = Type.Object({
  detector: Type.String(),
  severity: Type.String({ description: "info, warning, high or critical" }),
  run: Type.String(),
  rank: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  step: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  message: Type.String(),
  evidence: Type.Record(Type.String(), Type.Unknown()),
});
