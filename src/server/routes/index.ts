/** Every route of the server, registered in one place. */
import type { App, RouteContext } from "../app-types.js";
import { registerGetAlerts } from "./get-alerts.js";
import { registerGetCheckpoint } from "./get-checkpoint.js";
import { registerGetConsistencyProof } from "./get-consistency-proof.js";
import { registerGetEntryBundle } from "./get-entry-bundle.js";
import { registerGetEntryRaw } from "./get-entry-raw.js";
import { registerGetHealth } from "./get-health.js";
import { registerGetInclusionProof } from "./get-inclusion-proof.js";
import { registerGetOpenApi } from "./get-openapi.js";
import { registerGetReady } from "./get-ready.js";
import { registerGetTile } from "./get-tile.js";
import { registerPostEvents } from "./post-events.js";
import { registerPostTelemetry } from "./post-telemetry.js";

export function registerRoutes(app: App, context: RouteContext): void {
  registerGetHealth(app, context);
  registerGetReady(app, context);
  registerGetOpenApi(app, context);
  registerPostEvents(app, context);
  registerGetCheckpoint(app, context);
  registerGetTile(app, context);
  registerGetEntryBundle(app, context);
  registerGetEntryRaw(app, context);
  registerGetInclusionProof(app, context);
  registerGetConsistencyProof(app, context);
  registerPostTelemetry(app, context);
  registerGetAlerts(app, context);
}
