/** Audit events: the schema clients submit and the canonical bytes the ledger records. */
export type { JsonValue } from "./canonical-json.js";
export { canonicalJson, canonicalJsonBytes, MAX_CANONICAL_DEPTH } from "./canonical-json.js";
export type { EventErrorCode } from "./event-error.js";
export { EventError } from "./event-error.js";
export type { EventBatch, EventInput } from "./event-schema.js";
export {
  ActorClaimsSchema,
  ApprovalSchema,
  AuthorizationSchema,
  DetailsSchema,
  EventBatchSchema,
  EventInputSchema,
  FingerprintSchema,
  MAX_EVENTS_PER_REQUEST,
  OutcomeSchema,
  PolicySchema,
  ResourceSchema,
} from "./event-schema.js";
export type { RecordContext, RecordedEvent } from "./recorded-event.js";
export {
  EVENT_SCHEMA,
  eventBytes,
  MAX_EVENT_BYTES,
  parseEventBytes,
  recordEvent,
} from "./recorded-event.js";
