/**
 * `GET /v1/alerts[?run=<id>][&limit=N]`: the alerts the detectors raised, grouped by run, oldest
 * first, read from the `alerts` table (so they survive restarts and are shared by replicas).
 * Access is that of the ledger reads: the same alerts are in the ledger as events.
 */
import { Type } from "typebox";
import type { App, RouteContext } from "../app-types.js";
import { rowJson } from "../telemetry/alert-json.js";
import { AlertSchema } from "./alert-schema.js";
import { BEARER, ErrorSchema } from "./common-schemas.js";

/** Alerts one response holds by default and at most. */
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 5000;

const QuerySchema = Type.Object(
  {
    run: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
  },
  { additionalProperties: false },
);

const StoredAlertSchema = Type.Intersect([
  AlertSchema,
  Type.Object({
    ledger_index: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    time: Type.Integer({ minimum: 0, description: "when it was raised, ms since the epoch" }),
  }),
]);

const ResponseSchema = Type.Object(
  {
    runs: Type.Array(
      Type.Object(
        { run: Type.String(), alerts: Type.Array(StoredAlertSchema) },
        { additionalProperties: false },
      ),
    ),
    truncated: Type.Boolean({ description: "more alerts match than `limit`" }),
  },
  { additionalProperties: false },
);

export function registerGetAlerts(app: App, context: RouteContext): void {
  app.get(
    "/v1/alerts",
    {
      schema: {
        summary: "Alerts raised by the detectors, by run",
        security: BEARER,
        querystring: QuerySchema,
        response: { 200: ResponseSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
      onRequest: context.access.hook("ledger-read"),
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_LIMIT;
      const rows = await context.store.readAlerts(request.query.run, limit + 1);
      const truncated = rows.length > limit;
      const byRun = new Map<string, unknown[]>();
      for (const row of rows.slice(0, limit)) {
        let alerts = byRun.get(row.run);
        if (alerts === undefined) {
          alerts = [];
          byRun.set(row.run, alerts);
        }
        alerts.push({ ...rowJson(row), ledger_index: row.ledgerIndex, time: row.raisedAt });
      }
      return {
        runs: [...byRun].map(([run, alerts]) => ({ run, alerts: alerts as never[] })),
        truncated,
      };
    },
  );
}
