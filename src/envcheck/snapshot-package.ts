/**
 * Which package a path in a snapshot belongs to, from the path alone (a snapshot holds names and
 * digests, not records): the first segment below `site-packages` or `dist-packages`, with module
 * suffixes and dist-info versions removed. Paths outside a site directory have no package.
 */
const SITE_DIRS = new Set(["site-packages", "dist-packages"]);

function moduleName(segment: string, isLast: boolean): string {
  const meta = /^(.+?)-[^-]*\.(dist-info|egg-info)$/.exec(segment);
  if (meta?.[1] !== undefined) return meta[1];
  if (!isLast) return segment;
  // foo.py, foo.pth, foo.cpython-311-x86_64-linux-gnu.so → foo
  const dot = segment.indexOf(".");
  return dot > 0 ? segment.slice(0, dot) : segment;
}

/** `modelName` is the snapshot's root name: when it is the site directory, paths start there. */
export function snapshotPackageOf(path: string, modelName: string): string | null {
  const segments = path.split("/");
  let start = SITE_DIRS.has(modelName) ? 0 : -1;
  if (start === -1) {
    const index = segments.findIndex((segment) => SITE_DIRS.has(segment));
    if (index === -1) return null;
    start = index + 1;
  }
  const segment = segments[start];
  if (segment === undefined || segment === "__pycache__") return null;
  return moduleName(segment, start === segments.length - 1);
}
