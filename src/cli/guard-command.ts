/** `trainguard guard`: the scanner daemon that Python's `trainguard.load` and load hook ask. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";
import { collect } from "./option-parsers.js";
import { runGuardCheck, runGuardServe } from "./run-guard.js";

const SOCKET_HELP =
  "Unix socket; default $TRAINGUARD_GUARD_SOCKET, $XDG_RUNTIME_DIR/trainguard-guard.sock or " +
  "$TRAINGUARD_HOME/guard.sock";

const SERVE_EXAMPLES = `
The first line on stdout is "trainguard guard listening on <socket>". SIGTERM or SIGINT finish the
checks in flight, remove the socket and exit 0. The protocol is in docs/guard.md.

Examples:
  $ trainguard guard serve
  $ trainguard guard serve --socket /run/user/1000/trainguard-guard.sock --allow 'mylib.*'
  $ TRAINGUARD_GUARD=1 python train.py     # with the Python client installed`;

const CHECK_EXAMPLES = `
Exit status: 0 clean (and verified when asked), 1 not, 2 could not ask the daemon.

Examples:
  $ trainguard guard check model.pt
  $ trainguard guard check model.pt --signature model.pt.sig --public-key key.pub`;

export function registerGuardCommand(program: CommandUnknownOpts, context: CommandContext): void {
  const guard = program
    .command("guard")
    .summary("guard model loads in Python: the scanner daemon")
    .description(
      "Run the long-lived scanner that the Python client (clients/python) asks before it unpickles " +
        "anything: trainguard.load(), or TRAINGUARD_GUARD=1 for torch.load, pickle.load(s), " +
        "numpy.load and joblib.load in a whole environment.",
    );
  guard
    .command("serve")
    .summary("run the scanner daemon on a Unix socket")
    .option("--socket <path>", SOCKET_HELP)
    .option("--config <file>", 'JSON scan config: {"allow": [...], "limits": {...}}')
    .option("--allow <name>", "treat a global as harmless (repeatable)", collect)
    .addHelpText("after", SERVE_EXAMPLES)
    .action(async (options) => {
      context.setExitCode(await runGuardServe(options, context));
    });
  guard
    .command("check")
    .summary("ask a running daemon about one file (debugging)")
    .argument("<path>", "model file")
    .option("--socket <path>", SOCKET_HELP)
    .option("--signature <file>", "OpenSSF Model Signing bundle to verify")
    .option("--public-key <file>", "PEM public key for --signature")
    .addHelpText("after", CHECK_EXAMPLES)
    .action(async (path, options) => {
      context.setExitCode(await runGuardCheck(path, options, context));
    });
}
