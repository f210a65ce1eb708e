import { status } from "@grpc/grpc-js";
import { CompatibilityMode } from "@trackway/proto/registry/v1";
import { reasonOf } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proto, startTestRegistry, type TestRegistry } from "../../support/index.js";

let t: TestRegistry;
beforeAll(async () => {
  t = await startTestRegistry();
});
afterAll(() => t?.stop());

// History: v2 changes field b's type from v1 (registered under NONE), so v1 and v2 disagree.
const v1 = proto("message M { string a = 1; int32 b = 2; }");
const v2 = proto("message M { string a = 1; string b = 2; }");
// Compatible with v2 in both directions (a new message), incompatible with v1 in both (b's type).
const extraMessage = proto("message M { string a = 1; string b = 2; message Extra { string x = 1; } }");
// Adds a field: compatible both ways with v2 (old readers skip unknown fields), incompatible with v1 (b's type).
const addField = proto("message M { string a = 1; string b = 2; string c = 3; }");
// Deletes a field without reserving it: only FORWARD passes.
const deleteField = proto("message M { string b = 2; }");

const modes = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"] as const;
const expected: Record<string, Record<(typeof modes)[number], boolean>> = {
  extraMessage: { NONE: true, BACKWARD: true, BACKWARD_TRANSITIVE: false, FORWARD: true, FORWARD_TRANSITIVE: false, FULL: true, FULL_TRANSITIVE: false },
  addField: { NONE: true, BACKWARD: true, BACKWARD_TRANSITIVE: false, FORWARD: true, FORWARD_TRANSITIVE: false, FULL: true, FULL_TRANSITIVE: false },
  deleteField: { NONE: true, BACKWARD: false, BACKWARD_TRANSITIVE: false, FORWARD: true, FORWARD_TRANSITIVE: false, FULL: false, FULL_TRANSITIVE: false },
};
const candidates = { extraMessage, addField, deleteField };

/** A subject holding v1 and v2 (registered under NONE), then switched to `mode`. */
async function history(subject: string, mode: (typeof modes)[number]): Promise<void> {
  await t.client.setCompatibility({ subject, mode: CompatibilityMode.COMPATIBILITY_MODE_NONE, actor: "test" });
  for (const src of [v1, v2]) await t.client.registerSchema({ subject, protoSource: src, messageName: "p.M", author: "test" });
  await t.client.setCompatibility({ subject, mode: CompatibilityMode[`COMPATIBILITY_MODE_${mode}`], actor: "test" });
}

describe.each(Object.keys(candidates))("candidate %s on a two-version history", (name) => {
  it.each(modes)("under %s gets the Confluent verdict and writes only when compatible", async (mode) => {
    const subject = `modes.${name}.${mode.toLowerCase()}`;
    await history(subject, mode);
    const src = candidates[name as keyof typeof candidates];
    const check = await t.client.checkCompatibility({ subject, protoSource: src, messageName: "p.M" });
    expect(check.compatible).toBe(expected[name]![mode]);
    expect(check.mode).toBe(CompatibilityMode[`COMPATIBILITY_MODE_${mode}`]);
    const register = t.client.registerSchema({ subject, protoSource: src, messageName: "p.M", author: "test" });
    if (expected[name]![mode]) {
      expect((await register).schema?.version).toBe(3);
    } else {
      const err = await register.catch((e: unknown) => e);
      expect(err).toMatchObject({ code: status.FAILED_PRECONDITION });
      expect(reasonOf(err)).toBe("SCHEMA_INCOMPATIBLE");
      expect((await t.client.listVersions({ subject })).versions.map((v) => v.version)).toEqual([1, 2]);
    }
  });
});

describe("transitive modes", () => {
  it("name the older version a candidate breaks even though it passes against the latest", async () => {
    const subject = "modes.which-version";
    await history(subject, "FULL_TRANSITIVE");
    const check = await t.client.checkCompatibility({ subject, protoSource: extraMessage, messageName: "p.M" });
    expect(check.compatible).toBe(false);
    expect(new Set(check.violations.map((v) => v.againstVersion))).toEqual(new Set([1]));
    expect(check.violations.map((v) => v.rule)).toContain("FIELD_WIRE_JSON_COMPATIBLE_TYPE");
    // Against version 2 alone (the plain mode's comparison) there is nothing to report.
    const against2 = await t.client.checkCompatibility({ subject, protoSource: extraMessage, messageName: "p.M", version: 2 });
    expect(against2.compatible).toBe(true);
  });

  it("follow the global default until the subject sets its own mode, over a longer history", async () => {
    await t.client.setCompatibility({ subject: "", mode: CompatibilityMode.COMPATIBILITY_MODE_FORWARD_TRANSITIVE, actor: "test" });
    try {
      const subject = "modes.global-default";
      // Each version deletes one more field (FORWARD-compatible step by step and transitively).
      const fields = ["string a = 1;", "string b = 2;", "string c = 3;", "string d = 4;"];
      for (let i = 0; i < 3; i++) {
        const r = await t.client.registerSchema({ subject, protoSource: proto(`message M { ${fields.slice(i).join(" ")} }`), messageName: "p.M" });
        expect(r.schema?.version).toBe(i + 1);
      }
      const [s] = (await t.client.listSubjects({ prefix: subject })).subjects;
      expect(s).toMatchObject({ compatibility: CompatibilityMode.COMPATIBILITY_MODE_UNSPECIFIED, effectiveCompatibility: CompatibilityMode.COMPATIBILITY_MODE_FORWARD_TRANSITIVE, latestVersion: 3 });
      // Re-adding field a with another type: an addition for v2 and v3 (which lack it), a type change for v1.
      const readd = await t.client.checkCompatibility({ subject, protoSource: proto("message M { int64 a = 1; string c = 3; string d = 4; }"), messageName: "p.M" });
      expect(readd.compatible).toBe(false);
      expect(new Set(readd.violations.map((v) => v.againstVersion))).toEqual(new Set([1]));
      // Under plain FORWARD only the latest (v3) counts, and for it the field is new: accepted.
      await t.client.setCompatibility({ subject, mode: CompatibilityMode.COMPATIBILITY_MODE_FORWARD, actor: "test" });
      const plain = await t.client.registerSchema({ subject, protoSource: proto("message M { int64 a = 1; string c = 3; string d = 4; }"), messageName: "p.M" });
      expect(plain.schema?.version).toBe(4);
    } finally {
      await t.client.setCompatibility({ subject: "", mode: CompatibilityMode.COMPATIBILITY_MODE_BACKWARD, actor: "test" });
    }
  });
});
