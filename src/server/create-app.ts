/**
 * The Fastify instance with everything but the routes: structured pino logs (Authorization
 * redacted), a body limit, strict TypeBox validation (request bodies are never coerced), the
 * OpenAPI generator and the error handlers.
 */
import swagger from "@fastify/swagger";
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import Fastify from "fastify";
import type { App } from "./app-types.js";
import { installErrorHandlers } from "./error-handler.js";

/** 8 MiB: a batch of 1,000 typical events is about 0.5 MiB; anything far bigger is refused. */
export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

export interface AppOptions {
  readonly bodyLimit?: number | undefined;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  readonly logLevel?: string | undefined;
  /** Where logs go; default stderr, so stdout carries only what a command prints. */
  readonly logStream?: NodeJS.WritableStream | undefined;
  readonly version: string;
}

export async function createApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logger: {
      level: options.logLevel ?? "info",
      stream: options.logStream ?? process.stderr,
      redact: {
        paths: ["req.headers.authorization", "headers.authorization"],
        censor: "[redacted]",
      },
    },
    // Answer 503 to requests that arrive while closing; finish the ones already in flight.
    return503OnClosing: true,
    forceCloseConnections: "idle",
  })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>() as App;
  // Every body we accept is JSON; Fastify's default text/plain parser would let text reach validation.
  app.removeContentTypeParser("text/plain");
  installErrorHandlers(app);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "trainguard",
        description:
          "Control plane and tamper-evident ledger: audit events, signed checkpoints, proofs.",
        version: options.version,
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
    },
  });
  return app;
}
