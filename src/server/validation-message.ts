/** One readable line from schema validation errors (TypeBox's, which follow Ajv's shape). */

export interface SchemaError {
  readonly instancePath: string;
  readonly message?: string | undefined;
  readonly keyword?: string | undefined;
  readonly params?: unknown;
}

/** How many problems one message lists; the first few are what a client needs to fix. */
const MAX_LISTED = 3;

export function validationMessage(context: string, errors: readonly SchemaError[]): string {
  const described = errors
    // TypeBox reports an extra property twice: as "schema is false" and as additionalProperties.
    .filter((e) => e.keyword !== "boolean")
    .map(describe);
  const unique = [...new Set(described)];
  const listed = unique.slice(0, MAX_LISTED).join("; ");
  const more = unique.length > MAX_LISTED ? ` (and ${unique.length - MAX_LISTED} more)` : "";
  return `Cannot accept ${context}: ${listed || "it does not match the schema"}${more}`;
}

function describe(error: SchemaError): string {
  const where = error.instancePath === "" ? "the value" : `"${error.instancePath}"`;
  const params = (error.params ?? {}) as Record<string, unknown>;
  const extra = params.additionalProperties;
  if (error.keyword === "additionalProperties" && Array.isArray(extra)) {
    return `${where} has unknown properties ${extra.map((p) => `"${String(p)}"`).join(", ")}`;
  }
  return `${where} ${error.message ?? "is invalid"}`;
}
