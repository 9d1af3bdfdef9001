/** `GET /openapi.json`: the OpenAPI 3.1 document generated from the routes' TypeBox schemas. */
import type { App, RouteContext } from "../app-types.js";

export function registerGetOpenApi(app: App, context: RouteContext): void {
  app.get(
    "/openapi.json",
    {
      schema: { hide: true },
      onRequest: context.access.hook("public"),
    },
    async () => app.swagger(),
  );
}
