import { down } from "./down.js";
import { isStackError } from "./errors.js";
import { tailLogs } from "./health.js";
import { status } from "./status.js";
import { up } from "./up.js";

const usage = "usage: npm run stack -- up | down [--purge] | status [--json]";

/** `npm run stack -- up|down [--purge]|status`: the stack manager for people (exit 1 with a clear message on failure). */
async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  switch (command) {
    case "up": {
      const r = await up();
      const e = r.endpoints;
      console.log(`kafka ${e.kafkaBrokers.join(",")} · flink ${e.flinkRestUrl} · sql gateway ${e.sqlGatewayUrl}`);
      console.log(`hudi ${e.hudiBasePath} · postgres ${e.databaseUrl.replace(/:[^:@/]*@/, ":***@")}`);
      return 0;
    }
    case "down":
      await down({ purge: flags.includes("--purge") });
      return 0;
    case "status": {
      const s = await status();
      if (flags.includes("--json")) {
        console.log(JSON.stringify(s, null, 2));
      } else {
        console.log(`state dir ${s.stateDir}: ${s.up ? "up" : "not up"}`);
        for (const p of s.parts) {
          const pid = p.pid ? ` pid ${p.pid}` : "";
          const ports = p.ports.length ? ` ports ${p.ports.join(",")}` : "";
          console.log(`  ${p.label.padEnd(18)} ${p.state.padEnd(9)}${pid}${ports}${p.problem ? ` (${p.problem})` : ""}`);
          if (p.state === "dead") console.log(await tailLogs(p.logFiles, 10));
        }
      }
      return s.up ? 0 : 3;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(isStackError(e) ? `error [${e.reason}]: ${e.message}` : e);
    process.exit(1);
  },
);
