import { RegistryConfig, startRegistry } from "@trackway/registry";
import { parseConfig, silentLogger } from "@trackway/runtime";
import { describe, expect, it } from "vitest";
import { startTestRegistry } from "../../support/index.js";

describe("the registry process", () => {
  it("refuses to start without DATABASE_URL, naming the variable", () => {
    expect(() => parseConfig(RegistryConfig, {})).toThrow(/DATABASE_URL \(unset\)/);
    expect(() => parseConfig(RegistryConfig, { DATABASE_URL: "mysql://x" })).toThrow(/not a postgres:\/\/ URL/);
  });

  it("fails to start, rather than serve half, when PostgreSQL cannot be reached", async () => {
    const config = parseConfig(RegistryConfig, { DATABASE_URL: "postgres://u:p@127.0.0.1:1/none", TRACKWAY_REGISTRY_PORT: "0", TRACKWAY_REGISTRY_METRICS_PORT: "0", TRACKWAY_REGISTRY_REST_PORT: "0" });
    await expect(startRegistry(config, silentLogger)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("stops promptly with a Watch stream open, ending the stream so the watcher reconnects elsewhere", async () => {
    const t = await startTestRegistry();
    const abort = new AbortController();
    const watched = (async () => {
      for await (const m of t.client.watch({ sendHead: true }, { signal: abort.signal })) void m;
    })().then(
      () => "ended",
      (e: { code?: number }) => e.code,
    );
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await t.registry.stop(10_000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await watched).toBe("ended");
    await t.stop();
  });
});
