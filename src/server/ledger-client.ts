/**
 * Reads a trainguard ledger over HTTP: the checkpoint, proofs, C2SP tiles and entry bundles, raw
 * entries. Every response is bounded and parsed strictly; nothing here trusts the server, the
 * caller verifies what it gets against a signed checkpoint.
 */
import {
  decodeEntryBundle,
  formatEntryBundlePath,
  formatTilePath,
  MAX_ENTRY_BUNDLE_SIZE,
  MAX_ENTRY_SIZE,
  parseTile,
  TILE_WIDTH,
} from "../ledger/index.js";
import { httpRequest } from "./http-request.js";
import { ServerError } from "./server-error.js";

/** A proof is at most 2 * 53 hashes; its JSON well under this. */
const MAX_PROOF_RESPONSE = 64 * 1024;
/** A checkpoint with a few cosignatures is under 1 KiB; 64 KiB leaves room and bounds abuse. */
const MAX_NOTE_BYTES = 64 * 1024;
const BASE64_HASH = /^[A-Za-z0-9+/]{43}=$/;

export class LedgerClient {
  readonly #base: string;
  readonly #token: string | undefined;

  constructor(serverUrl: string, token?: string | undefined) {
    this.#base = serverUrl.endsWith("/") ? serverUrl : `${serverUrl}/`;
    this.#token = token;
  }

  async checkpoint(): Promise<string> {
    const response = await this.#get("checkpoint", MAX_NOTE_BYTES);
    return Buffer.from(response).toString("utf8");
  }

  async consistencyProof(oldSize: number, newSize: number): Promise<Uint8Array[]> {
    const body = await this.#get(
      `v1/proof/consistency?old=${oldSize}&new=${newSize}`,
      MAX_PROOF_RESPONSE,
    );
    return parseProof(body, { old: oldSize, new: newSize });
  }

  async inclusionProof(index: number, size: number): Promise<Uint8Array[]> {
    const body = await this.#get(
      `v1/proof/inclusion?index=${index}&size=${size}`,
      MAX_PROOF_RESPONSE,
    );
    return parseProof(body, { index, size });
  }

  /** Entries 256 * bundle .. + width - 1 from their entry bundle. */
  async entryBundle(bundle: number, width: number): Promise<Uint8Array[]> {
    const path = formatEntryBundlePath({ index: bundle, width });
    return decodeEntryBundle(await this.#get(path, MAX_ENTRY_BUNDLE_SIZE), width);
  }

  /** The hashes of tile (level, index) of the given width. */
  async tile(level: number, index: number, width: number): Promise<Uint8Array[]> {
    const path = formatTilePath({ level, index, width });
    return parseTile(await this.#get(path, TILE_WIDTH * 32), width);
  }

  async rawEntry(index: number): Promise<Uint8Array> {
    return this.#get(`v1/entries/${index}/raw`, MAX_ENTRY_SIZE);
  }

  async #get(path: string, maxBytes: number): Promise<Uint8Array> {
    const response = await httpRequest(new URL(path, this.#base).toString(), {
      token: this.#token,
      maxBytes,
    });
    return response.body;
  }
}

function parseProof(body: Uint8Array, expected: Record<string, number>): Uint8Array[] {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(Buffer.from(body).toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new ServerError("BAD_RESPONSE", "Cannot read proof: the response is not JSON");
  }
  for (const [key, want] of Object.entries(expected)) {
    if (value[key] !== want) {
      throw new ServerError("BAD_RESPONSE", `Cannot read proof: "${key}" is not ${want}`);
    }
  }
  const hashes = value.hashes;
  if (
    !Array.isArray(hashes) ||
    !hashes.every((h) => typeof h === "string" && BASE64_HASH.test(h))
  ) {
    throw new ServerError(
      "BAD_RESPONSE",
      "Cannot read proof: hashes are not base64 SHA-256 values",
    );
  }
  return hashes.map((h: string) => new Uint8Array(Buffer.from(h, "base64")));
}
