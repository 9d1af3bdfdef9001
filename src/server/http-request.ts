/**
 * The HTTP calls trainguard's clients make: bounded response sizes, a timeout, and errors turned
 * into ServerError (the server's own code when it sent one, BAD_RESPONSE otherwise).
 */
import { ServerError, type ServerErrorCode } from "./server-error.js";

/** Default per-request timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RequestOptions {
  readonly token?: string | undefined;
  readonly method?: "GET" | "POST";
  readonly body?: unknown;
  /** Largest response body accepted. */
  readonly maxBytes: number;
  readonly timeoutMs?: number | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

const SERVER_CODES: ReadonlySet<string> = new Set<ServerErrorCode>([
  "INVALID_REQUEST",
  "UNAUTHENTICATED",
  "NOT_FOUND",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "LEDGER_UNAVAILABLE",
  "INTERNAL",
]);

/** Sends one request and returns a 2xx response; anything else throws ServerError. */
export async function httpRequest(url: string, options: RequestOptions): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: "error",
    });
  } catch (error) {
    throw new ServerError("BAD_RESPONSE", `Cannot reach "${url}": ${describe(error)}`, {
      cause: error,
    });
  }
  const body = await readBounded(response, url, options.maxBytes);
  if (response.status < 200 || response.status > 299) throw responseError(url, response, body);
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body };
}

async function readBounded(response: Response, url: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ServerError(
      "BAD_RESPONSE",
      `Cannot read "${url}": ${declared} bytes is over ${maxBytes}`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body !== null) {
    for await (const chunk of response.body) {
      total += chunk.length;
      if (total > maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw new ServerError("BAD_RESPONSE", `Cannot read "${url}": over ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function responseError(url: string, response: Response, body: Uint8Array): ServerError {
  let parsed: { code?: unknown; message?: unknown } = {};
  try {
    parsed = JSON.parse(Buffer.from(body).toString("utf8")) as typeof parsed;
  } catch {
    // Not our error body: report the status alone.
  }
  const code =
    typeof parsed.code === "string" && SERVER_CODES.has(parsed.code)
      ? (parsed.code as ServerErrorCode)
      : "BAD_RESPONSE";
  const message =
    typeof parsed.message === "string"
      ? parsed.message.slice(0, 500)
      : `Cannot use "${url}": HTTP ${response.status}`;
  return new ServerError(code, message);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
