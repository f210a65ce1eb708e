import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote } from "./stack.js";

describe("shellQuote (trackway stack env)", () => {
  it("gives back each value unchanged through a real shell, quotes, spaces and $ included", () => {
    for (const v of ["postgres://u:p@h:5432/db", "it's", "a b", "$HOME `id` \\n", "''", ""]) {
      expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(v)}`], { encoding: "utf8" })).toBe(v);
    }
  });
});
