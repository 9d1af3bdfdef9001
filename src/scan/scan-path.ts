/**
 * Walks files and directories and scans every regular file. Symbolic links are never followed
 * out of the tree being scanned: a link to a file outside it is reported, not read, because a
 * loader given the link would load whatever it points to.
 */
import { lstat, readdir, readlink, realpath } from "node:fs/promises";
import { join, sep } from "node:path";
import { remoteCodeFindings } from "./hf-remote-code.js";
import { type DataReference, modelDataResults } from "./model-data-files.js";
import type { ScanOptions, ScanProgress } from "./options.js";
import { finding } from "./rules.js";
import { ScanError } from "./scan-error.js";
import { scanFileWithData } from "./scan-file.js";
import { type FileResult, type ScanReport, summarize, worseVerdict } from "./types.js";

/** Files scanned at once: enough to overlap I/O, few enough to keep memory bounded. */
const CONCURRENCY = 4;

type Planned = { readonly path: string } | { readonly path: string; readonly skipped: FileResult };

function skipped(
  path: string,
  rule: "scan/symlink-skipped" | "scan/not-regular-file",
  message: string,
): Planned {
  const f = finding(rule, message, {});
  return {
    path,
    skipped: { path, format: "none", verdict: f.verdict, findings: [f], size: 0, bytesRead: 0 },
  };
}

const inside = (root: string, path: string) => path === root || path.startsWith(root + sep);

async function plan(root: string, out: Planned[]): Promise<void> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(root);
  } catch {
    throw new ScanError("NOT_FOUND", `Cannot scan '${root}': no such file or directory`);
  }
  // A path named on the command line is the user's choice: follow it once.
  const top = info.isSymbolicLink() ? await realpath(root) : root;
  const topInfo = await lstat(top);
  if (!topInfo.isDirectory()) {
    out.push(
      topInfo.isFile()
        ? { path: root }
        : skipped(root, "scan/not-regular-file", "Is not a regular file: not read"),
    );
    return;
  }
  const treeRoot = await realpath(top);
  const walk = async (dir: string, shown: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const real = join(dir, entry.name);
      const path = join(shown, entry.name);
      if (entry.isDirectory()) await walk(real, path);
      else if (entry.isFile()) out.push({ path });
      else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(real);
        } catch {
          out.push(
            skipped(
              path,
              "scan/symlink-skipped",
              `Is a broken symbolic link to '${await readlink(real)}'`,
            ),
          );
          continue;
        }
        // Links inside the tree need no visit: their targets are scanned where they are.
        if (!inside(treeRoot, target)) {
          out.push(
            skipped(
              path,
              "scan/symlink-skipped",
              `Is a symbolic link to '${target}', outside the scanned tree: not followed`,
            ),
          );
        }
      } else out.push(skipped(path, "scan/not-regular-file", "Is not a regular file: not read"));
    }
  };
  await walk(treeRoot, root);
}

export async function scanPath(
  paths: readonly string[],
  options: ScanOptions = {},
  onProgress?: ScanProgress,
): Promise<ScanReport> {
  if (paths.length === 0) throw new ScanError("USAGE", "Cannot scan: no paths given");
  const planned: Planned[] = [];
  for (const path of paths) await plan(path, planned);
  const results: FileResult[] = new Array(planned.length);
  const references: DataReference[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < planned.length) {
      const index = next++;
      const item = planned[index] as Planned;
      if ("skipped" in item) results[index] = item.skipped;
      else {
        const scanned = await scanFileWithData(item.path, options);
        results[index] = scanned.result;
        for (const file of scanned.dataFiles) references.push({ model: item.path, file });
      }
      done += 1;
      onProgress?.(done, planned.length, item.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, planned.length) }, worker));
  // Folder-level evidence: unknown files that a model of this scan names as its tensor data.
  for (const [index, result] of await modelDataResults(results, references)) {
    results[index] = result;
  }
  // A Hugging Face config whose auto_map makes trust_remote_code run
  // Python files from the folder marks the config and those files.
  const remote = await remoteCodeFindings(
    results.filter((r) => r.format !== "none").map((r) => r.path),
  );
  for (const [index, result] of results.entries()) {
    const extra = remote.get(result.path);
    if (extra === undefined || extra.length === 0) continue;
    const verdict = extra.reduce((v, f) => worseVerdict(v, f.verdict), result.verdict);
    results[index] = { ...result, verdict, findings: [...result.findings, ...extra] };
  }
  return { files: results, summary: summarize(results) };
}
