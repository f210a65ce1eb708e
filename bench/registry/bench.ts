// Registry benchmark: cached schema lookups per second in-process, and register latency at versions 1, 100
// and 1000 of one subject under FULL_TRANSITIVE; each against a baseline measured in the same run.
// Run: DATABASE_URL=postgres://… npx tsx bench/registry/bench.ts [--versions 1000] [--out bench/registry/RESULTS.md]
import { writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { CompatibilityMode } from "@trackway/proto/registry/v1";
import { RegistryConfig, startRegistry, warmUp } from "@trackway/registry";
import { ApiKeyStore } from "@trackway/auth";
import { createRegistryClient, createSchemaCache } from "@trackway/registry-client";
import { parseConfig, silentLogger } from "@trackway/runtime";
import { freshDatabase } from "../../tests/support/index.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const VERSIONS = Number(arg("versions", "1000"));
const OUT = arg("out", "");
const LOOKUPS = 2_000_000;

/** Version k of the subject: k nested messages, so each version adds one (FULL-compatible under WIRE_JSON). */
const sourceAt = (k: number) => {
  const nested = Array.from({ length: k }, (_, i) => `  message Detail${i} { string note = 1; }`).join("\n");
  return `syntax = "proto3";\npackage bench.v1;\n\nmessage Clicked {\n  string target = 1;\n  int64 at_ms = 2;\n${nested}\n}\n`;
};

const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 1) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

const db = await freshDatabase("registry_bench");
const config = parseConfig(RegistryConfig, { DATABASE_URL: db.url, TRACKWAY_REGISTRY_PORT: "0", TRACKWAY_REGISTRY_METRICS_PORT: "0", TRACKWAY_REGISTRY_REST_PORT: "0", TRACKWAY_LOG_LEVEL: "silent" });
const registry = await startRegistry(config, silentLogger);
// Every call authenticates: an admin key of the bench's own database.
const benchKey = await new ApiKeyStore(registry.deps.pool).create({ tenant: "bench", scopes: ["schemas:read", "schemas:admin"] });
const client = createRegistryClient(registry.address, { apiKey: benchKey.key });
const lines: string[] = [];
const say = (l = "") => {
  lines.push(l);
  console.log(l);
};

try {
  // ---- 1. Cached lookups, in-process -------------------------------------------------------------------------
  const subject = "bench.clicked";
  await client.setCompatibility({ subject, mode: CompatibilityMode.COMPATIBILITY_MODE_FULL_TRANSITIVE, actor: "bench" });
  const first = (await client.registerSchema({ subject, protoSource: sourceAt(1), messageName: "bench.v1.Clicked", author: "bench" })).schema!;
  const cache = createSchemaCache(client);
  await cache.ready();
  const warm = await cache.get(subject, 1);
  await cache.getById(first.schemaId);

  const baseline = new Map<string, unknown>([[`${subject}@1`, warm]]);
  let sink = 0;
  let t0 = performance.now();
  for (let i = 0; i < LOOKUPS; i++) if (baseline.get(`${subject}@${(i & 0) + 1}`)) sink++;
  const mapPerSec = LOOKUPS / (ms(t0) / 1000);
  t0 = performance.now();
  for (let i = 0; i < LOOKUPS; i++) if ((await cache.get(subject, (i & 0) + 1)).message) sink++;
  const getPerSec = LOOKUPS / (ms(t0) / 1000);
  t0 = performance.now();
  for (let i = 0; i < LOOKUPS; i++) if ((await cache.getById(first.schemaId)).message) sink++;
  const idPerSec = LOOKUPS / (ms(t0) / 1000);
  t0 = performance.now();
  for (let i = 0; i < LOOKUPS; i++) if (cache.peek(subject, (i & 0) + 1)) sink++;
  const peekPerSec = LOOKUPS / (ms(t0) / 1000);
  cache.close();

  say("## Cached lookups (in-process, `@trackway/registry-client` createSchemaCache, warm)");
  say();
  say(`${fmt(LOOKUPS, 0)} lookups each; baseline: a raw \`Map.get\` with the same key building. Goal ≥ 100,000/s.`);
  say();
  say("| lookup | per second | vs baseline |");
  say("| --- | ---: | ---: |");
  say(`| baseline: Map.get(\`subject@version\`) | ${fmt(mapPerSec, 0)} | 1.00 |`);
  say(`| cache.get(subject, version) (awaited) | ${fmt(getPerSec, 0)} | ${fmt(getPerSec / mapPerSec, 2)} |`);
  say(`| cache.getById(id) (awaited) | ${fmt(idPerSec, 0)} | ${fmt(idPerSec / mapPerSec, 2)} |`);
  say(`| cache.peek(subject, version) (sync) | ${fmt(peekPerSec, 0)} | ${fmt(peekPerSec / mapPerSec, 2)} |`);
  say();

  // ---- 2. Register latency under FULL_TRANSITIVE -------------------------------------------------------------
  const scratch = new pg.Pool({ connectionString: db.url, max: 2 });
  await scratch.query("CREATE TABLE bench_plain (id serial PRIMARY KEY, subject text, version int, source text, descriptor bytea)");
  const plainInsert = async (k: number) => {
    const t = performance.now();
    await scratch.query("INSERT INTO bench_plain (subject, version, source, descriptor) VALUES ($1, $2, $3, $4)", [subject, k, sourceAt(k), first.descriptorSet]);
    return ms(t);
  };
  const register = async (k: number) => {
    const t = performance.now();
    const r = await client.registerSchema({ subject, protoSource: sourceAt(k), messageName: "bench.v1.Clicked", author: "bench" });
    if (r.schema!.version !== k || !r.created) throw new Error(`expected version ${k}, got ${r.schema!.version}`);
    return ms(t);
  };
  const compileOnly = async (k: number) => {
    const t = performance.now();
    await registry.deps.compile({ name: `${subject}.proto`, content: sourceAt(k) }, [], "bench.v1.Clicked");
    return ms(t);
  };

  const at: Record<number, { register: number; plain: number; compile: number; neighbours: number[] }> = {};
  const marks = new Set([1, 100, VERSIONS].filter((v) => v <= VERSIONS));
  at[1] = { register: 0, plain: await plainInsert(1), compile: await compileOnly(1), neighbours: [] };
  const started = performance.now();
  const times: number[] = [0];
  for (let k = 2; k <= VERSIONS; k++) {
    times[k - 1] = await register(k);
    if (k % 100 === 0) process.stderr.write(`  registered version ${k} (${fmt(ms(started) / 1000)} s)\n`);
  }
  // Version 1 was registered before the cache section; measure a fresh subject's first version the same way.
  const t1 = performance.now();
  await client.setCompatibility({ subject: "bench.first", mode: CompatibilityMode.COMPATIBILITY_MODE_FULL_TRANSITIVE, actor: "bench" });
  await client.registerSchema({ subject: "bench.first", protoSource: sourceAt(1).replace("bench.v1", "bench.first.v1"), messageName: "bench.first.v1.Clicked" });
  at[1].register = ms(t1);
  for (const v of marks) {
    if (v === 1) continue;
    at[v] = { register: times[v - 1]!, plain: await plainInsert(v), compile: await compileOnly(v), neighbours: times.slice(Math.max(1, v - 5), v) };
  }
  // Cold: a registry process that just started has no descriptor loaded; FULL_TRANSITIVE then loads all versions.
  const dryRun = async () => {
    const t = performance.now();
    const dry = await client.registerSchema({ subject, protoSource: sourceAt(VERSIONS + 1), messageName: "bench.v1.Clicked", dryRun: true });
    if (dry.schema!.version !== VERSIONS + 1) throw new Error("dry run did not see the whole history");
    return ms(t);
  };
  const warmDry = await dryRun();
  registry.deps.compiled.clear();
  const cold = await dryRun();
  registry.deps.compiled.clear();
  const warming = await warmUp(registry.deps);
  const afterWarmUp = await dryRun();
  await scratch.end();

  say(`## Register latency, one subject under FULL_TRANSITIVE (version k adds one nested message; ${VERSIONS} versions)`);
  say();
  say("End to end over gRPC (compile with buf, subject lock, check against every earlier version, insert, audit).");
  say("Baseline: a plain INSERT of the same source and a descriptor into a table without indexes, same database, same run.");
  say("`compile` is `buf build` of that version's source alone, the part of the latency that does not depend on history.");
  say();
  say("| version | register (ms) | median of the 5 before (ms) | plain INSERT (ms) | register ÷ INSERT | compile alone (ms) |");
  say("| ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const v of [...marks].sort((a, b) => a - b)) {
    const x = at[v]!;
    const med = x.neighbours.length > 0 ? fmt(median(x.neighbours)) : "–";
    say(`| ${v} | ${fmt(x.register)} | ${med} | ${fmt(x.plain, 2)} | ${fmt(x.register / x.plain, 0)} | ${fmt(x.compile)} |`);
  }
  say();
  say(`A dry-run registration of version ${VERSIONS + 1} (checks against all ${VERSIONS} versions, writes nothing):`);
  say();
  say("| descriptor cache | dry run (ms) |");
  say("| --- | ---: |");
  say(`| warm (as during the run above) | ${fmt(warmDry)} |`);
  say(`| cold: emptied, as right after a restart before the warm-up finished | ${fmt(cold)} |`);
  say(`| after the startup warm-up (${warming.versions} versions loaded in ${fmt(warming.ms / 1000)} s, in the background) | ${fmt(afterWarmUp)} |`);
  say();
  say(`Goal: < 1000 ms at version 1000. Descriptor cache held ${fmt(registry.deps.compiled.bytes / 1048576)} MiB of serialized descriptors. Total for ${VERSIONS - 1} registrations: ${fmt(ms(started) / 1000)} s.`);
  say();
  say(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}. (sink ${sink})`);

  if (OUT) {
    const header = `# Registry benchmark\n\nProduced by \`npx tsx bench/registry/bench.ts --out bench/registry/RESULTS.md\` on ${new Date().toISOString().slice(0, 10)}.\n\n`;
    await writeFile(OUT, header + lines.join("\n") + "\n");
  }
} finally {
  client.close();
  await registry.stop(500);
  await db.drop();
}
