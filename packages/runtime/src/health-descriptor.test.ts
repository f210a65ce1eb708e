import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { equals, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { protoPath } from "grpc-health-check";
import { describe, expect, it } from "vitest";
import { HEALTH_FILE, healthFileDescriptor } from "./health-descriptor.js";

describe("healthFileDescriptor", () => {
  it("is what protoc-compatible buf makes of grpc-health-check's health.proto", () => {
    const dir = mkdtempSync(join(tmpdir(), "health-"));
    try {
      mkdirSync(join(dir, "grpc/health/v1"), { recursive: true });
      cpSync(protoPath, join(dir, HEALTH_FILE));
      writeFileSync(join(dir, "buf.yaml"), "version: v2\n");
      const buf = createRequire(import.meta.url).resolve("@bufbuild/buf/bin/buf");
      execFileSync(buf, ["build", ".", "-o", "out.binpb", "--exclude-source-info", "--as-file-descriptor-set"], { cwd: dir });
      const set = fromBinary(FileDescriptorSetSchema, readFileSync(join(dir, "out.binpb")));
      const compiled = set.file.find((f) => f.name === HEALTH_FILE)!;
      expect(equals(FileDescriptorProtoSchema, compiled, healthFileDescriptor)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the map entry StatusesEntry, as protoc does", () => {
    const list = healthFileDescriptor.messageType.find((m) => m.name === "HealthListResponse")!;
    expect(list.nestedType.map((n) => n.name)).toEqual(["StatusesEntry"]);
  });
});
