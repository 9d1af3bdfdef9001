/**
 * `POST /v1/events`: appends one event, or a batch as `{"events": [...]}`, to the ledger and
 * answers with their indexes once they are committed. Each event is recorded with the token's
 * principal and the server's time, and its canonical JSON bytes are the ledger entry exactly.
 */
import type { FastifySchemaValidationError } from "fastify";
import { Type } from "typebox";
import { Compile } from "typebox/compile";
import {
  EventBatchSchema,
  EventError,
  type EventInput,
  EventInputSchema,
  eventBytes,
  recordEvent,
} from "../../events/index.js";
import type { App, RouteContext } from "../app-types.js";
import { AUTH_ERRORS, BEARER, ErrorSchema, TreeNumber } from "./common-schemas.js";

const BodySchema = Type.Union([EventInputSchema, EventBatchSchema]);
const single = Compile(EventInputSchema);
const batch = Compile(EventBatchSchema);

const ResponseSchema = Type.Object(
  { indexes: Type.Array(TreeNumber) },
  { additionalProperties: false },
);

/**
 * The body is one of two shapes; validating against the union would report both branches'
 * errors. `events` picks the branch, so a client sees only the errors of the shape it meant.
 */
function validateBody(value: unknown) {
  const isBatch = typeof value === "object" && value !== null && "events" in value;
  const check = isBatch ? batch : single;
  if (check.Check(value)) return { value };
  return { error: check.Errors(value) as FastifySchemaValidationError[] };
}

export function registerPostEvents(app: App, context: RouteContext): void {
  app.post(
    "/v1/events",
    {
      schema: {
        summary: "Append one event or a batch of events to the ledger",
        security: BEARER,
        body: BodySchema,
        response: { 200: ResponseSchema, ...AUTH_ERRORS, 413: ErrorSchema, 503: ErrorSchema },
      },
      validatorCompiler: () => validateBody,
      onRequest: context.access.hook("write"),
    },
    async (request) => {
      const principal = context.access.principalOf(request);
      const body = request.body;
      const events: readonly EventInput[] = "events" in body ? body.events : [body];
      const time = Date.now();
      const entries = events.map((event, i) => {
        const recorded = recordEvent(event, {
          principal: principal.name,
          tokenId: principal.tokenId,
          time,
        });
        try {
          return eventBytes(recorded);
        } catch (error) {
          if (!(error instanceof EventError)) throw error;
          const state = error.message.replace(/^Cannot record event: /, "");
          throw new EventError(error.code, `Cannot record event ${i}: ${state}`, { cause: error });
        }
      });
      const { firstIndex, count } = await context.service.append(entries);
      return { indexes: Array.from({ length: count }, (_, i) => firstIndex + i) };
    },
  );
}
