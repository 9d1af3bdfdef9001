/**
 * The audit event a client submits, as TypeBox: the one schema that validates `POST /v1/events`
 * and documents it in the OpenAPI document. Field names follow OCSF (ocsf/ocsf-schema: `activity`,
 * `class_uid`, `severity_id`, `actor`, `resources`, `hashes`, `authorizations`, `status`) so events
 * map onto a SIEM without translation; see docs/server.md for the mapping. Every string, array
 * and map is bounded so one event always fits a ledger entry (65,535 bytes, C2SP tlog-tiles).
 */
import { type Static, Type } from "typebox";

/** A short lowercase identifier: `scan.file`, `model`, `sha256`. */
const Identifier = Type.String({ pattern: "^[a-z][a-z0-9_.-]{0,63}$" });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
/** A name, id or path a person or a system chose. */
const Name = Text(1024);
/** Milliseconds since the Unix epoch (OCSF `timestamp_t`). */
const Timestamp = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** OCSF Fingerprint: a digest of a resource, lowercase hex. */
export const FingerprintSchema = Type.Object(
  {
    algorithm: Identifier,
    value: Type.String({ pattern: "^[0-9a-f]{16,128}$" }),
  },
  { additionalProperties: false },
);

/** What the event is about: a model file, a dataset, an environment, a job. */
export const ResourceSchema = Type.Object(
  {
    type: Identifier,
    uid: Name,
    name: Type.Optional(Name),
    /** The digests of the resource as it is now (after the activity). */
    hashes: Type.Optional(Type.Array(FingerprintSchema, { maxItems: 8 })),
    /** The digests before the activity, for changes. */
    previous_hashes: Type.Optional(Type.Array(FingerprintSchema, { maxItems: 8 })),
  },
  { additionalProperties: false },
);

/**
 * Who, as the client states it. The authenticated principal is not here: the server takes it
 * from the bearer token and writes it into the recorded event, so a client cannot claim another.
 */
export const ActorClaimsSchema = Type.Object(
  {
    /** The person or workload a service acts for (a job's submitter). */
    on_behalf_of: Type.Optional(Name),
    session_uid: Type.Optional(Name),
    host: Type.Optional(Name),
    /** Client-controlled, like Kubernetes' userAgent: recorded, never trusted. */
    user_agent: Type.Optional(Name),
  },
  { additionalProperties: false },
);

export const PolicySchema = Type.Object(
  { uid: Name, name: Type.Optional(Name), version: Type.Optional(Name) },
  { additionalProperties: false },
);

export const ApprovalSchema = Type.Object(
  {
    approver: Name,
    uid: Type.Optional(Name),
    time: Type.Optional(Timestamp),
    /** The digest the approval is bound to; a new digest voids it. */
    hashes: Type.Optional(Type.Array(FingerprintSchema, { maxItems: 8 })),
  },
  { additionalProperties: false },
);

/** Why: the policy decision and what it rested on (OCSF `actor.authorizations`). */
export const AuthorizationSchema = Type.Object(
  {
    decision: Type.Union([Type.Literal("allow"), Type.Literal("deny")]),
    policies: Type.Optional(Type.Array(PolicySchema, { maxItems: 32 })),
    justification: Type.Optional(Text(4096)),
    ticket: Type.Optional(Name),
    approvals: Type.Optional(Type.Array(ApprovalSchema, { maxItems: 16 })),
    grant_uid: Type.Optional(Name),
    break_glass: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const OutcomeSchema = Type.Object(
  {
    status: Type.Union([Type.Literal("success"), Type.Literal("failure"), Type.Literal("unknown")]),
    code: Type.Optional(Identifier),
    message: Type.Optional(Text(4096)),
  },
  { additionalProperties: false },
);

/** Flat details (a scan verdict, a count): scalars only, so nesting stays bounded. */
export const DetailsSchema = Type.Record(
  Type.String({ pattern: "^[a-z][a-z0-9_]{0,63}$" }),
  Type.Union([Type.String({ maxLength: 4096 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { maxProperties: 64 },
);

export const EventInputSchema = Type.Object(
  {
    /** What happened: `scan.file`, `verify.model`, `env.check`, `policy.decide`, `job.exit`. */
    activity: Identifier,
    /** OCSF class (e.g. 1001 File System Activity, 6003 API Activity, 3003 Authorize Session). */
    class_uid: Type.Optional(Type.Integer({ minimum: 0, maximum: 999_999 })),
    /** OCSF severity_id: 0 unknown, 1 informational, 2 low, 3 medium, 4 high, 5 critical, 6 fatal, 99 other. */
    severity_id: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: 6 }), Type.Literal(99)]),
    ),
    /** When the client observed it; the server adds its own `time`. */
    observed_time: Type.Optional(Timestamp),
    actor: Type.Optional(ActorClaimsSchema),
    resources: Type.Optional(Type.Array(ResourceSchema, { maxItems: 64 })),
    outcome: OutcomeSchema,
    authorization: Type.Optional(AuthorizationSchema),
    /** Links the events of one run, job or request. */
    correlation_uid: Type.Optional(Name),
    message: Type.Optional(Text(4096)),
    details: Type.Optional(DetailsSchema),
  },
  { additionalProperties: false },
);

export type EventInput = Static<typeof EventInputSchema>;

/** Most events in one `POST /v1/events` request. */
export const MAX_EVENTS_PER_REQUEST = 10_000;

export const EventBatchSchema = Type.Object(
  {
    events: Type.Array(EventInputSchema, { minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST }),
  },
  { additionalProperties: false },
);

export type EventBatch = Static<typeof EventBatchSchema>;
