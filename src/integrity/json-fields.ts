/** Typed access to untrusted JSON: every helper names the field it refused. */
import { IntegrityError } from "./integrity-error.js";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function malformed(state: string): never {
  throw new IntegrityError("MALFORMED_SIGNATURE", `Cannot read the signature: ${state}`);
}

export function objectField(parent: JsonObject, key: string, where: string): JsonObject {
  const value = parent[key];
  if (!isObject(value)) malformed(`${where}.${key} is not an object`);
  return value;
}

export function stringField(
  parent: JsonObject,
  key: string,
  where: string,
  maxLength: number,
): string {
  const value = parent[key];
  if (typeof value !== "string") malformed(`${where}.${key} is not a string`);
  if (value.length > maxLength) malformed(`${where}.${key} is longer than ${maxLength} characters`);
  return value;
}

export function arrayField(
  parent: JsonObject,
  key: string,
  where: string,
  maxItems: number,
): unknown[] {
  const value = parent[key];
  if (!Array.isArray(value)) malformed(`${where}.${key} is not a list`);
  if (value.length > maxItems) malformed(`${where}.${key} has more than ${maxItems} items`);
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** proto3 JSON `bytes`: standard base64 with padding, or URL-safe without (both are accepted). */
export function base64Field(
  parent: JsonObject,
  key: string,
  where: string,
  maxLength: number,
): Uint8Array {
  const text = stringField(parent, key, where, maxLength);
  if (BASE64.test(text)) return Buffer.from(text, "base64");
  if (BASE64URL.test(text) && text.length % 4 !== 1) return Buffer.from(text, "base64url");
  return malformed(`${where}.${key} is not base64`);
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

export function hexDigest(value: unknown, where: string): string {
  // BLAKE2b-512 is the longest digest we know: 64 bytes, 128 hex digits.
  if (typeof value !== "string" || value.length > 128 || !HEX.test(value)) {
    malformed(`${where} is not a hex digest`);
  }
  return value.toLowerCase();
}
