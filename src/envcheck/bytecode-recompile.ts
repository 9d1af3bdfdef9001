import { spawn } from "node:child_process";

/**
 * Compiles source with a Python interpreter exactly as the import system does
 * (`SourceLoader.source_to_code`: `compile(data, path, "exec", dont_inherit=True,
 * optimize=...)`) and returns `marshal.dumps` of the result, the bytes a pyc carries after its
 * header. The interpreter runs with -I (no PYTHON* variables, no user site) and -S (no `site`,
 * so no `.pth` files or sitecustomize: in an environment under suspicion those are exactly what
 * an attacker edits). The source goes in on stdin, so we compile the bytes we read.
 */
const SCRIPT = [
  "import sys, marshal",
  "magic = sys.modules['_frozen_importlib_external'].MAGIC_NUMBER",
  "out = sys.stdout.buffer",
  "try:",
  "    code = compile(sys.stdin.buffer.read(), sys.argv[1], 'exec', dont_inherit=True, optimize=int(sys.argv[2]))",
  "except (SyntaxError, ValueError) as error:",
  "    out.write(magic + b'E' + repr(error).encode('utf-8', 'replace'))",
  "else:",
  "    out.write(magic + b'C' + marshal.dumps(code))",
].join("\n");

/** Our bounds on the child: its output (a marshalled module) and its run time. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 60_000;
const MAGIC_BYTES = 4;
const COMPILED = 0x43; // "C"
const COMPILE_ERROR = 0x45; // "E"

export type Recompiled =
  | { readonly kind: "compiled"; readonly magic: Uint8Array; readonly body: Uint8Array }
  | { readonly kind: "error"; readonly magic: Uint8Array; readonly message: string };

export async function recompile(
  python: string,
  source: Uint8Array,
  filename: string,
  optimize: number,
): Promise<Recompiled> {
  const output = await run(
    python,
    ["-I", "-S", "-B", "-c", SCRIPT, filename, String(optimize)],
    source,
  );
  if (output.length <= MAGIC_BYTES) {
    throw new Error(`Cannot recompile with "${python}": it printed ${output.length} bytes`);
  }
  const magic = output.subarray(0, MAGIC_BYTES);
  const rest = output.subarray(MAGIC_BYTES + 1);
  switch (output[MAGIC_BYTES]) {
    case COMPILED:
      return { kind: "compiled", magic, body: rest };
    case COMPILE_ERROR:
      return { kind: "error", magic, message: new TextDecoder().decode(rest) };
    default:
      throw new Error(`Cannot recompile with "${python}": its output is not understood`);
  }
}

function run(command: string, args: readonly string[], input: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
    timer.unref();
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        child.kill();
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`Cannot run "${command}": ${error.message}`, { cause: error }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && size <= MAX_OUTPUT_BYTES) {
        resolve(new Uint8Array(Buffer.concat(chunks)));
        return;
      }
      const why = size > MAX_OUTPUT_BYTES ? "output over limit" : (signal ?? `exit ${code}`);
      reject(new Error(`Cannot recompile with "${command}": ${why} ${stderr.trim()}`.trim()));
    });
    child.stdin.on("error", () => {
      // The child may exit before reading everything; its exit status tells what happened.
    });
    child.stdin.end(input);
  });
}
