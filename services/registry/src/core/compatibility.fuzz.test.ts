import { status } from "@grpc/grpc-js";
import { isTrackwayError } from "@trackway/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import { bufBreaking, compileProto } from "../compiler/index.js";
import { random, randomPair } from "../../../../tests/fixtures/random-schema.js";
import { breakingChanges } from "./compatibility.js";

// Differential test on generated pairs: the same comparison as the corpus test, on changes nobody chose by hand.
// Seeded, so a failure names a replayable pair. Pairs where a side does not compile are skipped.
const PAIRS = 60;
const CONCURRENCY = 4;

interface Judged { before: string; after: string; changes: string; buf: string[]; ours: string[] }
const judged: Judged[] = [];
let skipped = 0;

beforeAll(async () => {
  const rnd = random(20260801);
  const pairs = Array.from({ length: PAIRS }, () => randomPair(rnd));
  const worker = async () => {
    for (let p = pairs.shift(); p !== undefined; p = pairs.shift()) {
      const first = (src: string) => src.match(/^message\s+(\w+)/m)?.[1];
      const before = { name: "schema.proto", content: p.before };
      const after = { name: "schema.proto", content: p.after };
      const compiled = await Promise.all([compileProto(before, [], first(p.before)), compileProto(after, [], first(p.after))]).catch((e: unknown) => {
        if (isTrackwayError(e) && e.code === status.INVALID_ARGUMENT) return undefined;
        throw e;
      });
      if (!compiled) {
        skipped++;
        continue;
      }
      const annotations = await bufBreaking([after], [before]);
      const ours = breakingChanges(compiled[1], compiled[0]).map((v) => v.rule);
      judged.push({ ...p, buf: [...new Set(annotations.map((a) => a.type))].sort(), ours: [...new Set(ours)].sort() });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}, 180_000);

describe("compatibility rules agree with buf breaking on random changes", () => {
  it("judges enough pairs, breaking and compatible", () => {
    expect(judged.length).toBeGreaterThanOrEqual(PAIRS / 2);
    expect(judged.filter((j) => j.buf.length > 0).length).toBeGreaterThan(5);
    expect(judged.filter((j) => j.buf.length === 0).length).toBeGreaterThan(2);
  });

  it("gives buf's verdict and rule ids on every pair", () => {
    const disagreements = judged.filter((j) => j.buf.join() !== j.ours.join());
    expect(disagreements.map((d) => `changes: ${d.changes}\nbuf: ${d.buf}\nours: ${d.ours}\n--- before\n${d.before}--- after\n${d.after}`)).toEqual([]);
  });
});
