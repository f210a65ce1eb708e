import { describe, expect, it } from "vitest";
import { firstMessageName } from "./first-message.js";

describe("firstMessageName", () => {
  it("names the first top-level message with its package", () => {
    const src = `syntax = "proto3";\npackage shop.v1;\nenum E { E_UNSPECIFIED = 0; }\nmessage Order { message Line {} }\nmessage Other {}\n`;
    expect(firstMessageName(src)).toBe("shop.v1.Order");
  });

  it("skips messages in comments, strings and nested blocks", () => {
    const src = `// message Fake {}\n/* message Fake2 { } */\noption x = "message Str {";\nservice S { }\nmessage Real {}\n`;
    expect(firstMessageName(src)).toBe("Real");
  });

  it("skips a nested message declared before the first top-level one closes", () => {
    expect(firstMessageName(`package p;\nmessage A { message B {} string s = 1; }\nmessage C {}`)).toBe("p.A");
  });

  it("returns undefined when the file declares no message", () => {
    expect(firstMessageName(`syntax = "proto3";\nenum E { E_UNSPECIFIED = 0; }`)).toBeUndefined();
  });
});
