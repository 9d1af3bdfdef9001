/**
 * The few top-level scalars of an MLflow run's `meta.yaml` (mlflow/store/tracking/file_store.py
 * writes it with yaml.safe_dump: one `key: value` per line, strings quoted only when needed).
 * Not a YAML parser: nested values and multi-line strings are ignored, which is all we need.
 */

const TOP_LEVEL = /^([A-Za-z_][A-Za-z0-9_]*):[ \t]*(.*)$/;

export interface MlflowRunMeta {
  readonly runName: string | undefined;
  /** Unix milliseconds. */
  readonly startTime: number | undefined;
}

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
    return value.slice(1, -1).replaceAll("''", "'");
  }
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1);
  }
  return value;
}

export function parseMlflowMeta(text: string): MlflowRunMeta {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = TOP_LEVEL.exec(line);
    if (match) fields.set(match[1]!, unquote(match[2]!));
  }
  const name = fields.get("run_name");
  const startRaw = fields.get("start_time");
  const start = startRaw === undefined || startRaw === "" ? Number.NaN : Number(startRaw);
  return {
    runName: name === undefined || name === "" || name === "null" ? undefined : name,
    startTime: Number.isFinite(start) ? start : undefined,
  };
}
