import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, readRooms, readSources, roomViolations, type RoomViolation, type Rooms } from "./rooms.js";

const root = join(import.meta.dirname, "../..");

const rooms: Rooms = new Map([
  ["services/ingest", "@trackway/ingest"],
  ["services/registry", "@trackway/registry"],
  ["packages/runtime", "@trackway/runtime"],
  ["packages/stack", "@trackway/stack"],
  ["packages/cli", "@trackway/cli"],
  ["packages/db", "@trackway/db"],
]);
const check = (path: string, ...imports: string[]) => roomViolations([{ path, imports }], rooms).map((v) => v.rule);

const key = (v: RoomViolation) => `${v.path} → ${v.imports}`;

describe("the rules", () => {
  it("finds every kind of import", () => {
    const src = `import { a } from "@trackway/a";\nimport type { B } from '@trackway/b/sub';\nexport { c } from "./c.js";\nconst d = await import("@trackway/d");\nimport "side-effect";`;
    expect(importsOf(src)).toEqual(["@trackway/a", "@trackway/b/sub", "./c.js", "@trackway/d", "side-effect"]);
  });

  it("flags a service importing another service, by package or by relative path", () => {
    expect(check("services/ingest/src/a.ts", "@trackway/registry")).toEqual(["SERVICE_IMPORTS_SERVICE"]);
    expect(check("services/ingest/src/core/a.ts", "../../../registry/src/b.js")).toEqual(["REACHES_INTO_ANOTHER_PACKAGE"]);
    expect(check("services/ingest/src/a.ts", "@trackway/db", "./b.js", "../../../tests/fixtures/x.js")).toEqual([]);
  });

  it("flags @trackway/stack anywhere in packages and services except the CLI", () => {
    expect(check("services/ingest/src/a.ts", "@trackway/stack")).toEqual(["IMPORTS_LOCAL_STACK"]);
    expect(check("packages/db/src/a.ts", "@trackway/stack")).toEqual(["IMPORTS_LOCAL_STACK"]);
    expect(check("packages/db/package.json", "@trackway/stack")).toEqual(["IMPORTS_LOCAL_STACK"]);
    expect(check("packages/cli/src/a.ts", "@trackway/stack")).toEqual([]);
    expect(check("packages/stack/src/a.ts", "@trackway/stack")).toEqual([]);
  });

  it("flags packages/runtime importing a domain package (generated protos only in its tests)", () => {
    expect(check("packages/runtime/src/a.ts", "@trackway/db")).toEqual(["RUNTIME_IMPORTS_DOMAIN"]);
    expect(check("packages/runtime/src/a.ts", "@trackway/proto/registry/v1")).toEqual(["RUNTIME_IMPORTS_DOMAIN"]);
    expect(check("packages/runtime/src/a.test.ts", "@trackway/proto/registry/v1")).toEqual([]);
    expect(check("packages/runtime/src/a.ts", "@grpc/grpc-js", "./b.js")).toEqual([]);
  });
});

describe("the repository", () => {
  it("keeps every concept in its room (ARCHITECTURE.md, Rooms)", async () => {
    const repoRooms = await readRooms(root);
    const violations = roomViolations(await readSources(root, repoRooms), repoRooms);
    expect(violations.map((v) => `${key(v)} (${v.rule})`)).toEqual([]);
  });
});
