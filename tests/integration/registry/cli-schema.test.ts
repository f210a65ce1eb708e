import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";

const root = join(import.meta.dirname, "../../..");
const buf = join(root, "node_modules/.bin/buf");
let t: TestRegistry;
let dir: string;

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero exit). */
function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, TRACKWAY_REGISTRY_ADDRESS: t.registry.address, TRACKWAY_API_KEY: t.admin.key, CI: "true" } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const trackway = (...args: string[]) => run("node", [join(root, "packages/cli/bin/trackway.js"), ...args], dir);

const money = `syntax = "proto3";\npackage shop.v1;\n\nmessage Money {\n  int64 units = 1;\n  string currency = 2;\n}\n`;
const order = `syntax = "proto3";\npackage shop.v1;\n\nimport "google/protobuf/timestamp.proto";\nimport "shop/v1/money.proto";\n\nmessage OrderCompleted {\n  string order_id = 1;\n  Money total = 2;\n  google.protobuf.Timestamp paid_at = 3;\n}\n`;
const mapping = {
  schemas: [
    { subject: "checkout.order_completed", file: "shop/v1/order.proto", owners: ["team-checkout"], description: "An order was paid", compatibility: "FULL_TRANSITIVE" },
    { subject: "shop.money", file: "shop/v1/money.proto" },
  ],
};

beforeAll(async () => {
  t = await startTestRegistry();
  dir = await mkdtemp(join(tmpdir(), "trackway-cli-schema-"));
  await mkdir(join(dir, "proto/shop/v1"), { recursive: true });
  await writeFile(join(dir, "proto/shop/v1/money.proto"), money);
  await writeFile(join(dir, "proto/shop/v1/order.proto"), order);
  await writeFile(join(dir, "proto/trackway.json"), JSON.stringify(mapping));
  // The repository's buf module: the same rules as Trackway's own buf.yaml.
  await writeFile(join(dir, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\nbreaking:\n  use:\n    - WIRE_JSON\n");
});
afterAll(async () => {
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("trackway schema", () => {
  it("push registers the mapped files in import order with references and governance, and is idempotent", async () => {
    const first = await trackway("schema", "push", "--dir", "proto", "--author", "ana");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/shop\.money\tversion 1\tid \d+\tregistered\ncheckout\.order_completed\tversion 1\tid \d+\tregistered/);
    const v = (await t.client.getSchema({ subject: "checkout.order_completed" })).schema!;
    // The author is the authenticated key (TRACKWAY_API_KEY), not the --author the caller claims.
    expect(v).toMatchObject({ fileName: "shop/v1/order.proto", messageName: "shop.v1.OrderCompleted", author: t.admin.actor });
    expect(v.references).toEqual([{ name: "shop/v1/money.proto", subject: "shop.money", version: 1 }]);
    const audit = (await t.client.listAuditEntries({})).entries.length;
    const again = await trackway("schema", "push", "--dir", "proto");
    expect(again.stdout).toContain("checkout.order_completed\tversion 1");
    expect(again.stdout).toContain("unchanged");
    expect((await t.client.listAuditEntries({})).entries.length).toBe(audit);
    const list = await trackway("schema", "list", "--prefix", "checkout.");
    expect(list.stdout).toBe("checkout.order_completed\tv1\tFULL_TRANSITIVE\tteam-checkout\tAn order was paid\n");
  });

  it("check exits 0 on compatible files and 1 with the violations on a breaking change, registering nothing", async () => {
    const ok = await trackway("schema", "check", "--dir", "proto");
    expect(ok.code, ok.stderr).toBe(0);
    await writeFile(join(dir, "proto/shop/v1/order.proto"), order.replace("string order_id = 1;", "int64 order_id = 1;"));
    const bad = await trackway("schema", "check", "--dir", "proto");
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stderr).toContain("1 schema(s) break");
    expect(bad.stdout).toContain("checkout.order_completed\tBREAKING (FULL_TRANSITIVE");
    expect(bad.stdout).toContain("FIELD_WIRE_JSON_COMPATIBLE_TYPE\tshop.v1.OrderCompleted.order_id");
    expect((await t.client.listVersions({ subject: "checkout.order_completed" })).versions).toHaveLength(1);
    const diff = await trackway("schema", "diff", "checkout.order_completed", "--file", "shop/v1/order.proto", "--dir", "proto");
    expect(diff.stdout).toContain("-   string order_id = 1;\n+   int64 order_id = 1;");
    await writeFile(join(dir, "proto/shop/v1/order.proto"), order);
  });

  it("export writes a buf image that buf breaking checks the repository's protos against, for real", async () => {
    const exported = await trackway("schema", "export", "--out", "registry.binpb");
    expect(exported.code, exported.stderr).toBe(0);
    const image = await readFile(join(dir, "registry.binpb"));
    expect(image.length).toBeGreaterThan(0);

    const same = await run(buf, ["breaking", "--against", "registry.binpb", "--error-format", "json"], dir);
    expect(same.code, same.stdout + same.stderr).toBe(0);

    await writeFile(join(dir, "proto/shop/v1/money.proto"), money.replace("int64 units = 1;", "string units = 1;"));
    const breaking = await run(buf, ["breaking", "--against", "registry.binpb", "--error-format", "json"], dir);
    expect(breaking.code).not.toBe(0);
    const rules = breaking.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { type: string; path: string }));
    expect(rules).toContainEqual(expect.objectContaining({ type: "FIELD_WIRE_JSON_COMPATIBLE_TYPE", path: "proto/shop/v1/money.proto" }));
    await writeFile(join(dir, "proto/shop/v1/money.proto"), money);
  });

  it("show, diff between versions, and one clear line with a non-zero exit for an unknown subject or registry", async () => {
    await writeFile(join(dir, "proto/shop/v1/money.proto"), money.replace("string currency = 2;", "string currency = 2;\n  int32 scale = 3;"));
    expect((await trackway("schema", "push", "--dir", "proto")).stdout).toContain("shop.money\tversion 2");
    const show = await trackway("schema", "show", "shop.money", "--version", "1");
    expect(show.stdout).toBe(money);
    const diff = await trackway("schema", "diff", "shop.money", "1", "2");
    expect(diff.stdout).toContain("+   int32 scale = 3;");
    expect(diff.stderr).toContain("no compatibility violation between version 1 and version 2");
    // Going back from 2 to 1 deletes the field: the BACKWARD half of FULL names it.
    const back = await trackway("schema", "diff", "shop.money", "2", "1");
    expect(back.stdout).toContain("-   int32 scale = 3;");
    expect(back.stdout).toContain("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED");
    const unknown = await trackway("schema", "show", "no.such");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split("\n")).toEqual([expect.stringContaining("[SUBJECT_NOT_FOUND]")]);
    const down = await run("node", [join(root, "packages/cli/bin/trackway.js"), "schema", "list", "--registry", "127.0.0.1:1"], dir);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^trackway: .*127\.0\.0\.1:1/);
  });
});
