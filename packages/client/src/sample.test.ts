import { toBinary, fromBinary } from "@bufbuild/protobuf";
import { ContextSchema, EventBatchSchema } from "@trackway/proto/es/event/v1";
import { describe, expect, it } from "vitest";
import { sampleMessage } from "./sample.js";

describe("sampleMessage", () => {
  it("sets every field of nested messages with values derived from the index", () => {
    const m = sampleMessage(ContextSchema, 7);
    expect(m.locale).toBe("locale-7");
    expect(m.app?.name).toBe("name-7");
    expect(m.screen?.width).toBe(8);
  });

  it("builds messages that encode and decode, maps and lists included", () => {
    const m = sampleMessage(EventBatchSchema, 3);
    const back = fromBinary(EventBatchSchema, toBinary(EventBatchSchema, m));
    expect(back.events).toHaveLength(1);
    expect(Object.keys(back.common?.attributes ?? {})).toEqual(["k0"]);
  });
});
