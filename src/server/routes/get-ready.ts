/**
 * `GET /readyz`: readiness. 200 only when the store answers and the ledger passed start-up
 * verification (and has not halted since); 503 with the reason otherwise, so a load balancer
 * takes a server whose database was tampered with out of rotation.
 */
import { Type } from "typebox";
import type { App, RouteContext } from "../app-types.js";
import { TreeNumber } from "./common-schemas.js";

const ReadySchema = Type.Object({ status: Type.Literal("ready"), size: TreeNumber });
const NotReadySchema = Type.Object({ status: Type.Literal("unavailable"), reason: Type.String() });

export function registerGetReady(app: App, context: RouteContext): void {
  app.get(
    "/readyz",
    {
      schema: {
        summary: "Readiness: the store is reachable and the ledger verified",
        response: { 200: ReadySchema, 503: NotReadySchema },
      },
      onRequest: context.access.hook("public"),
    },
    async (_request, reply) => {
      const state = context.service.state;
      if (state.status !== "ready") {
        const reason = state.status === "tampered" ? state.reason : "the server is closing";
        return reply.status(503).send({ status: "unavailable" as const, reason });
      }
      try {
        const size = await context.store.ledgerSize();
        return { status: "ready" as const, size };
      } catch (error) {
        reply.log.warn({ err: error }, "readiness: store unreachable");
        return reply
          .status(503)
          .send({ status: "unavailable" as const, reason: "the store is unreachable" });
      }
    },
  );
}
