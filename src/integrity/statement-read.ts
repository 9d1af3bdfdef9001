/**
 * Reads the statement of a signature into a `Manifest` (`signing.dsse_payload_to_manifest` and
 * its v0.2 compat twin). Only structure is checked here; whether the signature is genuine is
 * decided before, and whether the model matches after.
 */

import { MAX_IGNORE_PATHS, MAX_PATH_LENGTH } from "./ignore-paths.js";
import { IntegrityError } from "./integrity-error.js";
import {
  arrayField,
  hexDigest,
  isObject,
  type JsonObject,
  malformed,
  objectField,
  stringField,
} from "./json-fields.js";
import { parseShardName } from "./path-order.js";
import {
  PREDICATE_TYPE,
  PREDICATE_TYPE_V0_2,
  rootDigest,
  STATEMENT_TYPE,
  V0_2_MODEL_NAME,
} from "./statement.js";
import type { Manifest, ManifestResource } from "./types.js";

/** Every file or shard is a resource; this many is far past any model we know of. */
export const MAX_RESOURCES = 4_000_000;
/** Longest name: a path plus `:start:end`. */
const MAX_NAME = MAX_PATH_LENGTH + 40;
const MAX_SHORT = 256;

export interface ReadStatement {
  readonly manifest: Manifest;
  /** The subject digest equals the SHA-256 over the resources (always true for v0.2). */
  readonly rootMatches: boolean;
  readonly allowSymlinks: boolean;
  /** "v0.2" for the legacy predicate, which has no root and no serialization. */
  readonly predicate: "v1.0" | "v0.2";
}

function parseJson(payload: Uint8Array): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  } catch {
    malformed("the statement is not UTF-8 JSON");
  }
  if (!isObject(value)) malformed("the statement is not a JSON object");
  return value;
}

function checkUnique(resources: readonly ManifestResource[]): void {
  const names = new Set<string>();
  for (const resource of resources) {
    if (names.has(resource.name)) malformed(`resource "${resource.name}" is listed twice`);
    names.add(resource.name);
  }
}

function readV0_2(statement: JsonObject): ReadStatement {
  const subjects = arrayField(statement, "subject", "statement", MAX_RESOURCES);
  const resources = subjects.map((subject, index) => {
    const where = `statement.subject[${index}]`;
    if (!isObject(subject)) malformed(`${where} is not an object`);
    const name = stringField(subject, "name", where, MAX_NAME);
    const digest = hexDigest(
      objectField(subject, "digest", where).sha256,
      `${where}.digest.sha256`,
    );
    return { name, algorithm: "sha256", digest };
  });
  checkUnique(resources);
  const manifest: Manifest = {
    modelName: V0_2_MODEL_NAME,
    hashAlgorithm: "sha256",
    serialization: "files",
    ignorePaths: [],
    resources,
  };
  return { manifest, rootMatches: true, allowSymlinks: false, predicate: "v0.2" };
}

function readShardSize(serialization: JsonObject): number {
  const value = serialization.shard_size;
  // The reference writes it as a double (`8.0`), which JSON.parse reads as 8.
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    malformed("serialization.shard_size is not a positive integer");
  }
  return value;
}

function readIgnorePaths(serialization: JsonObject): string[] {
  if (serialization.ignore_paths === undefined) return [];
  const list = arrayField(serialization, "ignore_paths", "serialization", MAX_IGNORE_PATHS);
  return list.map((item, index) => {
    if (typeof item !== "string" || item.length > MAX_PATH_LENGTH) {
      malformed(`serialization.ignore_paths[${index}] is not a path`);
    }
    return item;
  });
}

function readResource(value: unknown, index: number, shards: boolean): ManifestResource {
  const where = `predicate.resources[${index}]`;
  if (!isObject(value)) malformed(`${where} is not an object`);
  const name = stringField(value, "name", where, MAX_NAME);
  if (shards && parseShardName(name) === undefined)
    malformed(`${where}.name is not path:start:end`);
  const algorithm = stringField(value, "algorithm", where, MAX_SHORT);
  return { name, algorithm, digest: hexDigest(value.digest, `${where}.digest`) };
}

function readV1_0(statement: JsonObject): ReadStatement {
  const subjects = arrayField(statement, "subject", "statement", 2);
  const [subject] = subjects;
  if (subjects.length !== 1 || !isObject(subject)) malformed("the statement must have one subject");
  const modelName = stringField(subject, "name", "subject", MAX_PATH_LENGTH);
  const root = hexDigest(objectField(subject, "digest", "subject").sha256, "subject.digest.sha256");
  const predicate = objectField(statement, "predicate", "statement");
  const serialization = objectField(predicate, "serialization", "predicate");
  const method = stringField(serialization, "method", "serialization", MAX_SHORT);
  if (method !== "files" && method !== "shards") {
    throw new IntegrityError(
      "UNSUPPORTED_SIGNATURE",
      `Cannot read the signature: serialization method "${method}"`,
    );
  }
  const hashAlgorithm = stringField(serialization, "hash_type", "serialization", MAX_SHORT);
  const symlinks = serialization.allow_symlinks;
  const list = arrayField(predicate, "resources", "predicate", MAX_RESOURCES);
  const resources = list.map((item, index) => readResource(item, index, method === "shards"));
  checkUnique(resources);
  const manifest: Manifest = {
    modelName,
    hashAlgorithm,
    serialization: method,
    ...(method === "shards" ? { shardSize: readShardSize(serialization) } : {}),
    ignorePaths: readIgnorePaths(serialization),
    resources,
  };
  return {
    manifest,
    rootMatches: rootDigest(resources) === root,
    allowSymlinks: symlinks === true,
    predicate: "v1.0",
  };
}

export function readStatement(payload: Uint8Array): ReadStatement {
  const statement = parseJson(payload);
  const type = statement._type;
  if (type !== STATEMENT_TYPE) {
    throw new IntegrityError(
      "UNSUPPORTED_SIGNATURE",
      `Cannot read the signature: statement type ${JSON.stringify(type)}`,
    );
  }
  const predicateType = statement.predicateType;
  if (predicateType === PREDICATE_TYPE) return readV1_0(statement);
  if (predicateType === PREDICATE_TYPE_V0_2) return readV0_2(statement);
  throw new IntegrityError(
    "UNSUPPORTED_SIGNATURE",
    `Cannot read the signature: predicate type ${JSON.stringify(predicateType).slice(0, 200)}`,
  );
}
