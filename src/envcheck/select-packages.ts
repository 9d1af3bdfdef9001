/**
 * `--package NAME`: limits a check to some distributions. A name matches a distribution by its
 * normalised name (PEP 503: case-insensitive, runs of "-", "_", "." alike), by a top-level import
 * name it owns (`torch` matches Debian's `python3-torch`), or by its Debian package name.
 */
import { EnvCheckError } from "./env-error.js";
import type { Distribution } from "./records/recorded-file.js";

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function topLevelNames(dist: Distribution, siteDirs: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const file of dist.files) {
    for (const siteDir of siteDirs) {
      const prefix = siteDir === "" ? "" : `${siteDir}/`;
      if (!file.path.startsWith(prefix)) continue;
      const top = file.path.slice(prefix.length).split("/")[0] ?? "";
      names.add(normalizeName(top.replace(/\.py$/, "")));
    }
  }
  return names;
}

/** The names of the selected distributions; throws USAGE for a name that matches none. */
export function selectPackages(
  wanted: readonly string[],
  distributions: readonly Distribution[],
  siteDirs: readonly string[],
): Set<string> {
  const selected = new Set<string>();
  for (const raw of wanted) {
    const name = normalizeName(raw);
    const before = selected.size;
    let matched = false;
    for (const dist of distributions) {
      const own = normalizeName(dist.name);
      if (own === name || own === `python3-${name}` || topLevelNames(dist, siteDirs).has(name)) {
        selected.add(dist.name);
        matched = true;
      }
    }
    if (!matched && selected.size === before) {
      throw new EnvCheckError(
        "USAGE",
        `Cannot select the package "${raw}": no installed distribution matches it`,
      );
    }
  }
  return selected;
}
