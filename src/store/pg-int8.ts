import pg from "pg";
import { StoreError } from "./store-error.js";

/** PostgreSQL's type OID of int8 (bigint, bigserial, count(*)): see pg_type.dat. */
export const PG_INT8_OID = 20;

/**
 * The one place PostgreSQL int8 values become JavaScript numbers. pg returns int8 as a string
 * because it may exceed 2^53 (pg-types README); every int8 trainguard stores is a size, index or
 * millisecond timestamp, so anything that is not a safe integer means a corrupt row.
 */
export function parseSafeInt(text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new StoreError(
      "STORAGE_INCONSISTENT",
      `Cannot read int8 "${text}": it is not a safe integer (above 2^53)`,
    );
  }
  return value;
}

/** Type parsers for one pool (not pg's global registry, which other code may share). */
export function trainguardPgTypes(): pg.CustomTypesConfig {
  const overrides = new pg.TypeOverrides();
  overrides.setTypeParser(PG_INT8_OID, "text", parseSafeInt);
  return overrides;
}
