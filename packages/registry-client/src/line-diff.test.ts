import { describe, expect, it } from "vitest";
import { lineDiff } from "./line-diff.js";
import { importsOf, orderByImports } from "./schema-project.js";

describe("lineDiff", () => {
  it("marks removed and added lines with context, and nothing for equal texts", () => {
    const a = ["a", "b", "c", "d", "e", "f", "g", "h", "i"].join("\n");
    const b = ["a", "b", "C", "d", "e", "f", "g", "h", "i", "j"].join("\n");
    expect(lineDiff(a, b, 1)).toEqual(["  b", "- c", "+ C", "  d", "@@", "  i", "+ j"]);
    expect(lineDiff(a, a)).toEqual([]);
  });
});

describe("schema projects", () => {
  it("read imports and order schemas after what they import", () => {
    const src = `// import "commented.proto";\nimport "google/protobuf/timestamp.proto";\nimport public "shop/money.proto";\n`;
    expect(importsOf(src)).toEqual(["google/protobuf/timestamp.proto", "shop/money.proto"]);
    const order = { subject: "o", file: "shop/order.proto", source: "", imports: ["shop/money.proto"] };
    const money = { subject: "m", file: "shop/money.proto", source: "", imports: ["google/protobuf/timestamp.proto"] };
    expect(orderByImports([order, money]).map((s) => s.subject)).toEqual(["m", "o"]);
    expect(() => orderByImports([order])).toThrow(/not a schema of the project/);
  });
});
