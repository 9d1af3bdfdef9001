/** The Fastify instance type every route file registers on, and what routes may use. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { LedgerService } from "../ledger/service/index.js";
import type { Store } from "../store/store.js";
import type { AccessControl } from "./access.js";
import type { TelemetryIngest } from "./telemetry/telemetry-ingest.js";

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RouteContext {
  readonly service: LedgerService;
  readonly store: Store;
  readonly access: AccessControl;
  /** Stores telemetry and runs the server-wide Monitor over it. */
  readonly telemetry: TelemetryIngest;
}
