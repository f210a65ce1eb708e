import { describe, expect, it } from "vitest";
import { apiKeyFromMetadata, generateApiKey, hashApiKey, keyHint, looksLikeApiKey } from "./api-key.js";

const md = (entries: Record<string, string>) => (name: string) => (entries[name] === undefined ? [] : [entries[name]]);

describe("API keys", () => {
  it("generates distinct keys of the documented shape", () => {
    const a = generateApiKey();
    expect(looksLikeApiKey(a)).toBe(true);
    expect(a).not.toBe(generateApiKey());
    expect(keyHint(a)).toHaveLength(10);
  });

  it("hashes a key to a stable hex digest that does not contain the key", () => {
    const k = generateApiKey();
    expect(hashApiKey(k)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(k)).toBe(hashApiKey(k));
  });

  it("reads the key from x-api-key, else from a Bearer authorization", () => {
    expect(apiKeyFromMetadata(md({ "x-api-key": " twk_a " }))).toBe("twk_a");
    expect(apiKeyFromMetadata(md({ authorization: "Bearer twk_b" }))).toBe("twk_b");
    expect(apiKeyFromMetadata(md({ authorization: "Basic dXNlcg==" }))).toBeUndefined();
    expect(apiKeyFromMetadata(md({}))).toBeUndefined();
  });
});
