import type { Command } from "commander";
import { startMicro } from "../micro/run-micro.js";
import { cliEnv } from "../env.js";
import { note } from "../output.js";

interface MicroOpts {
  proto?: string;
  registry?: string;
  registryKey?: string;
  host: string;
  port: string;
  httpPort: string;
}

/** Adds `trackway micro`: registry-checked ingest in memory with an assertion API, for tests and CI. */
export function registerMicro(program: Command): void {
  program
    .command("micro")
    .description("A local test pipeline: ingest's exact validation, no Kafka/Flink/PostgreSQL; events kept in memory behind /micro/all|good|bad|reset.")
    .option("--proto <dir>", "a folder of .proto files with a trackway.json (as for schema push)")
    .option("--registry <host:port>", "read contracts from this registry instead")
    .option("--registry-key <key>", "API key with schemas:read for --registry (env TRACKWAY_REGISTRY_API_KEY)", cliEnv.TRACKWAY_REGISTRY_API_KEY)
    .option("--host <address>", "address to bind", "127.0.0.1")
    .option("--port <n>", "ingest gRPC port (0: any free port)", "50061")
    .option("--http-port <n>", "assertion API port (0: any free port)", "9090")
    .action(async (o: MicroOpts) => {
      const started = Date.now();
      const micro = await startMicro({ protoDir: o.proto, registry: o.registry, registryKey: o.registryKey, host: o.host, grpcPort: Number(o.port), httpPort: Number(o.httpPort) });
      // Machine-readable first line on stdout (CI scripts read it), then notes for people on stderr.
      // startupMs: since the process started (wall clock); cpuMs: CPU it used to get here (what a busy runner cannot inflate).
      const cpu = process.cpuUsage();
      const timing = { startupMs: Math.round(process.uptime() * 1000), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
      process.stdout.write(`${JSON.stringify({ ingest: micro.ingestAddress, http: micro.httpUrl, apiKey: micro.apiKey, subjects: micro.subjects, ...timing })}\n`);
      note(`micro ready in ${((Date.now() - started) / 1000).toFixed(1)}s: ingest ${micro.ingestAddress}, assertions ${micro.httpUrl}/micro/all, ${micro.subjects.length} contracts`);
      note(`send with any twk_ key, e.g. TRACKWAY_API_KEY=${micro.apiKey}; Ctrl-C stops`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await micro.stop();
    });
}
