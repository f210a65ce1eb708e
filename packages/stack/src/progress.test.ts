import { describe, expect, it } from "vitest";
import { streamProgress } from "./progress.js";

const sink = () => {
  const lines: string[] = [];
  const out = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  return { out, text: () => lines.join("") };
};

describe("streamProgress", () => {
  it("prints plain start and done lines with the time taken when stdout is not a TTY", async () => {
    const { out, text } = sink();
    const value = await streamProgress(out).step("Kafka", async () => 42, (v) => `answer ${v}`);
    expect(value).toBe(42);
    expect(text()).toMatch(/^Kafka …\n✓ Kafka: answer 42 \(\d+\.\ds\)\n$/);
  });

  it("reports a failed step with its time and rethrows", async () => {
    const { out, text } = sink();
    await expect(streamProgress(out).step("Maven", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(text()).toMatch(/✗ Maven failed after \d+\.\ds/);
  });
});
