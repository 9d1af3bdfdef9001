/**
 * `POST /v1/telemetry`: stores a batch of telemetry records (docs/monitor.md) and runs the
 * detectors over them. All or nothing: the first record that does not parse refuses the request
 * (400, naming its index) and nothing is stored. The body is read as bytes and parsed by the
 * telemetry engine (telemetry-engine.ts), not by Fastify's schema validation: each record is
 * checked once, by the monitor's own parser, and the text is stored as it arrived (one chunk
 * per run: see telemetry-chunks.ts).
 */
import { Type } from "typebox";
import type { App, RouteContext } from "../app-types.js";
import { type BodyKind, MAX_TELEMETRY_RECORDS } from "../telemetry/decode-records.js";
import { AlertSchema } from "./alert-schema.js";
import { AUTH_ERRORS, BEARER, ErrorSchema } from "./common-schemas.js";

const NDJSON_TYPES = ["application/x-ndjson", "application/jsonl", "application/jsonlines"];

/** For the OpenAPI document; the records themselves are checked by `parseTelemetryRecord`. */
const BodySchema = Type.Object(
  {
    records: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      minItems: 1,
      maxItems: MAX_TELEMETRY_RECORDS,
      description: "Telemetry records as in docs/monitor.md (step, start, heartbeat, …)",
    }),
  },
  { additionalProperties: false },
);

const ResponseSchema = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0 }),
    alerts: Type.Array(
      Type.Intersect([
        AlertSchema,
        Type.Object({ ledger_index: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]) }),
      ]),
    ),
    suppressed: Type.Integer({
      minimum: 0,
      description: "alerts raised beyond the 1,000 one request records (logged, not recorded)",
    }),
  },
  { additionalProperties: false },
);

interface RawBody {
  readonly kind: BodyKind;
  readonly bytes: Buffer;
}

export function registerPostTelemetry(app: App, context: RouteContext): void {
  // An encapsulated context: its body parsers (text, not objects) apply to this route only.
  app.register(async (child: App) => {
    child.removeContentTypeParser("application/json");
    const parser =
      (kind: BodyKind) =>
      (_request: unknown, body: string | Buffer, done: (e: Error | null, b?: RawBody) => void) =>
        done(null, { kind, bytes: typeof body === "string" ? Buffer.from(body) : body });
    // Bytes, not text: step records are read from them directly (parse-step-bytes.ts).
    child.addContentTypeParser("application/json", { parseAs: "buffer" }, parser("json"));
    child.addContentTypeParser(NDJSON_TYPES, { parseAs: "buffer" }, parser("ndjson"));
    child.post(
      "/v1/telemetry",
      {
        schema: {
          summary:
            "Store telemetry records ({records:[…]} or NDJSON, one record per line) and run the detectors",
          security: BEARER,
          consumes: ["application/json", ...NDJSON_TYPES],
          body: BodySchema,
          response: { 200: ResponseSchema, ...AUTH_ERRORS, 413: ErrorSchema, 415: ErrorSchema },
        },
        validatorCompiler: () => (value: unknown) => ({ value }),
        onRequest: context.access.hook("write"),
      },
      async (request) => {
        const principal = context.access.principalOf(request);
        const raw = request.body as unknown as RawBody;
        const { accepted, alerts, suppressed } = await context.telemetry.ingest(
          raw.kind,
          raw.bytes,
          principal,
        );
        return { accepted, alerts: [...alerts], suppressed };
      },
    );
  });
}
