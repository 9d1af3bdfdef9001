/**
 * Turns every failure into `{"statusCode", "code", "message"}`: validation and parse errors are
 * 4xx with a message that names the field, our typed errors map to their status, and only a
 * genuine bug is a 500 (logged with its stack, never shown to the client).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { EventError } from "../events/index.js";
import { LedgerError } from "../ledger/index.js";
import { LedgerServiceError } from "../ledger/service/index.js";
import { StoreError } from "../store/index.js";
import type { App } from "./app-types.js";
import { type ErrorBody, ServerError, type ServerErrorCode } from "./server-error.js";
import { type SchemaError, validationMessage } from "./validation-message.js";

export function installErrorHandlers(app: App): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const body = errorBody(error);
    if (body.statusCode >= 500) {
      request.log.error({ err: error }, body.message);
    }
    return reply.status(body.statusCode).type("application/json; charset=utf-8").send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const body = make(
      "NOT_FOUND",
      `Cannot ${request.method} "${path.slice(0, 200)}": no such endpoint`,
    );
    return reply.status(404).send(body);
  });
}

export function errorBody(error: unknown): ErrorBody {
  if (error instanceof ServerError) return make(error.code, error.message);
  if (error instanceof LedgerServiceError) {
    return error.code === "INVALID_APPEND"
      ? make("INVALID_REQUEST", error.message)
      : make("LEDGER_UNAVAILABLE", error.message);
  }
  if (error instanceof EventError) {
    return make(
      error.code === "EVENT_TOO_LARGE" ? "PAYLOAD_TOO_LARGE" : "INVALID_REQUEST",
      error.message,
    );
  }
  if (error instanceof LedgerError) {
    if (error.code === "OUT_OF_RANGE" || error.code === "MALFORMED_TILE_PATH") {
      return make("INVALID_REQUEST", error.message);
    }
    return make("INTERNAL", "Cannot read the ledger: its storage is inconsistent");
  }
  if (error instanceof StoreError) {
    if (error.code === "OUT_OF_RANGE") return make("NOT_FOUND", error.message);
    if (error.code === "STORAGE_INCONSISTENT" || error.code === "HASH_NOT_FOUND") {
      return make("INTERNAL", error.message);
    }
  }
  const fastify = error as Partial<FastifyError> & { validation?: readonly SchemaError[] };
  if (Array.isArray(fastify.validation)) {
    const where = fastify.validationContext ?? "request";
    return make("INVALID_REQUEST", validationMessage(`request ${where}`, fastify.validation));
  }
  const status = typeof fastify.statusCode === "number" ? fastify.statusCode : 500;
  if (status === 413) {
    return make("PAYLOAD_TOO_LARGE", "Cannot accept request body: it is over the size limit");
  }
  if (status === 415) {
    return make("UNSUPPORTED_MEDIA_TYPE", "Cannot accept request body: send application/json");
  }
  const known = fastify.code === undefined ? undefined : FASTIFY_MESSAGES[fastify.code];
  if (known !== undefined) return make("INVALID_REQUEST", known);
  if (status >= 400 && status < 500) {
    return make("INVALID_REQUEST", `Cannot parse request: ${stripPeriod(fastify.message)}`);
  }
  return make("INTERNAL", "Cannot handle request: internal error");
}

/** Fastify's own 4xx errors, reworded in the house style. */
const FASTIFY_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "Cannot parse request body: it is not valid JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "Cannot parse request body: it is empty",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH:
    "Cannot read request body: its length is not the declared one",
};

function make(code: ServerErrorCode, message: string): ErrorBody {
  return { statusCode: new ServerError(code, message).statusCode, code, message };
}

function stripPeriod(message: string | undefined): string {
  return (message ?? "it is malformed").replace(/\.$/, "");
}
