/**
 * Hugging Face model folders whose configs carry an `auto_map` (or, in config.json,
 * `custom_pipelines`): `from_pretrained(..., trust_remote_code=True)` imports the modules they
 * name (transformers `dynamic_module_utils.get_class_from_dynamic_module`) and so runs their
 * code. The config is reported with the modules it names, and each named `.py` file beside it is
 * reported as code.
 */
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { finding } from "./rules.js";
import type { Finding } from "./types.js";

/** Configs transformers reads an `auto_map` from (AutoConfig, AutoTokenizer, AutoProcessor, ...). */
const CONFIG_NAMES = new Set([
  "config.json",
  "tokenizer_config.json",
  "processor_config.json",
  "preprocessor_config.json",
  "generation_config.json",
]);
/** Larger configs are not parsed: real ones are kilobytes (tokenizer configs a few megabytes). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const REFERENCE = "research notes §3 (trust_remote_code)";
/** A class reference "module.Class" or "repo/id--module.Class". */
const CLASS_REFERENCE = /^(?:(.+)--)?([^./\\]+)\.([^./\\]+)$/;

interface Reference {
  /** The value as written. */
  readonly raw: string;
  readonly repo: string | undefined;
  /** Undefined when the value is not "module.Class" (transformers then fails to import it). */
  readonly module: string | undefined;
  readonly className: string | undefined;
}

function references(autoMap: unknown): Reference[] | undefined {
  if (autoMap === null || typeof autoMap !== "object" || Array.isArray(autoMap)) return undefined;
  const out: Reference[] = [];
  const add = (value: unknown) => {
    if (typeof value !== "string") return;
    const match = CLASS_REFERENCE.exec(value);
    out.push({ raw: value, repo: match?.[1], module: match?.[2], className: match?.[3] });
  };
  for (const value of Object.values(autoMap)) {
    // Tokenizer entries are [slow, fast] pairs, either of which may be null.
    if (Array.isArray(value)) for (const item of value) add(item);
    else add(value);
  }
  return out;
}

/** `custom_pipelines` in config.json: {"task": {"impl": "module.Class"}}, also imported. */
function pipelineReferences(pipelines: unknown): Reference[] {
  if (pipelines === null || typeof pipelines !== "object" || Array.isArray(pipelines)) return [];
  const impls = Object.values(pipelines).map((p) =>
    p !== null && typeof p === "object" ? (p as { impl?: unknown }).impl : undefined,
  );
  return references(Object.fromEntries(impls.map((impl, i) => [i, impl]))) ?? [];
}

async function readAutoMap(
  path: string,
): Promise<{ refs: Reference[] } | { error: string } | undefined> {
  const info = await stat(path);
  if (info.size > MAX_CONFIG_BYTES) return { error: `is over ${MAX_CONFIG_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined; // Not JSON: transformers cannot load it either, so it names no code.
  }
  if (json === null || typeof json !== "object") return undefined;
  const config = json as { auto_map?: unknown; custom_pipelines?: unknown };
  const refs = [
    ...(references(config.auto_map) ?? []),
    ...pipelineReferences(config.custom_pipelines),
  ];
  return refs.length === 0 ? undefined : { refs };
}

export async function remoteCodeFindings(
  files: readonly string[],
): Promise<Map<string, Finding[]>> {
  const out = new Map<string, Finding[]>();
  const add = (path: string, found: Finding) => out.set(path, [...(out.get(path) ?? []), found]);
  const known = new Map(files.map((file) => [join(file), file]));
  for (const file of files) {
    if (!CONFIG_NAMES.has(basename(file))) continue;
    let result: Awaited<ReturnType<typeof readAutoMap>>;
    try {
      result = await readAutoMap(file);
    } catch {
      continue; // Unreadable here means scanFile reports it.
    }
    if (result === undefined) continue;
    if ("error" in result) {
      add(file, finding("scan/limit-exceeded", `Cannot check auto_map: file ${result.error}`, {}));
      continue;
    }
    const names: string[] = [];
    for (const ref of result.refs) {
      const local =
        ref.module === undefined ? undefined : known.get(join(dirname(file), `${ref.module}.py`));
      let name = ref.module === undefined ? `'${ref.raw}'` : `'${ref.module}.${ref.className}'`;
      if (ref.repo !== undefined) name += ` from repository '${ref.repo}'`;
      else if (ref.module === undefined) name += " (not module.Class)";
      else if (local === undefined) name += " (not in the folder)";
      if (!names.includes(name)) names.push(name);
      if (ref.repo === undefined && local !== undefined) {
        const message = `Is code that from_pretrained(trust_remote_code=True) runs: ${basename(file)} names it`;
        if (!(out.get(local) ?? []).some((f) => f.message === message)) {
          add(local, finding("hf/remote-code", message, {}, { reference: REFERENCE }));
        }
      }
    }
    add(
      file,
      finding(
        "hf/remote-code",
        `Names remote code: from_pretrained(trust_remote_code=True) imports and runs ${names.join(", ")}`,
        {},
        { reference: REFERENCE },
      ),
    );
  }
  return out;
}
