/**
 * `.pth` files in a site directory are read by `site.py` at every interpreter start
 * (https://docs.python.org/3/library/site.html): a line starting with `import ` or `import\t`
 * is executed; other non-comment lines are added to `sys.path`. Lines are split as Python's
 * text mode does (universal newlines: LF, CRLF and a bare CR each end a line).
 */

export interface PthAnalysis {
  /** Lines that site.py executes. */
  readonly executableLines: number;
  /** The first executed line, shortened, for the report. */
  readonly firstExecutable: string | undefined;
  /** Lines added to sys.path. */
  readonly pathLines: number;
}

const EXCERPT = 120;
/** Python 3.13 decodes .pth files as utf-8-sig; an older one keeps the BOM. Treat both alike. */
const BOM = "\ufeff";

export function analysePth(text: string): PthAnalysis {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  let executableLines = 0;
  let pathLines = 0;
  let firstExecutable: string | undefined;
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line.startsWith("#") || line.trim() === "") continue;
    if (line.startsWith("import ") || line.startsWith("import\t")) {
      executableLines += 1;
      firstExecutable ??= line.length > EXCERPT ? `${line.slice(0, EXCERPT)}…` : line;
    } else {
      pathLines += 1;
    }
  }
  return { executableLines, firstExecutable, pathLines };
}
