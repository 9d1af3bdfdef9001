/** `GET /healthz`: liveness. The process is up and serving HTTP; nothing else is checked. */
import { Type } from "typebox";
import type { App, RouteContext } from "../app-types.js";

export function registerGetHealth(app: App, context: RouteContext): void {
  app.get(
    "/healthz",
    {
      schema: {
        summary: "Liveness: the server process answers",
        response: { 200: Type.Object({ status: Type.Literal("ok") }) },
      },
      onRequest: context.access.hook("public"),
    },
    async () => ({ status: "ok" as const }),
  );
}
