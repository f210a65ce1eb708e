import { EventHeader } from "@trackway/proto/event/v1";
import { describe, expect, it } from "vitest";
import { EventQueue, type QueuedEvent } from "./event-queue.js";

const ev = (id: string, bytes = 10): QueuedEvent => ({ header: EventHeader.fromPartial({ eventId: id }), properties: new Uint8Array(0), bytes });
const ids = (xs: QueuedEvent[]) => xs.map((x) => x.header.eventId);

describe("EventQueue", () => {
  it("takes events in order up to a count and a byte budget", () => {
    const q = new EventQueue(100, 10_000, "drop-newest");
    for (let i = 0; i < 5; i++) q.push(ev(`e${i}`));
    expect(ids(q.take(2, 1000))).toEqual(["e0", "e1"]);
    expect(ids(q.take(10, 15))).toEqual(["e2"]);
    expect(q.length).toBe(2);
    expect(q.bytes).toBe(20);
  });

  it("always takes at least one event, even one above the byte budget", () => {
    const q = new EventQueue(100, 10_000, "drop-newest");
    q.push(ev("big", 500));
    expect(ids(q.take(10, 100))).toEqual(["big"]);
  });

  it("drop-newest refuses the new event when full and keeps the queued ones", () => {
    const q = new EventQueue(2, 10_000, "drop-newest");
    q.push(ev("a"));
    q.push(ev("b"));
    expect(ids(q.push(ev("c")))).toEqual(["c"]);
    expect(ids(q.take(10, 1000))).toEqual(["a", "b"]);
  });

  it("drop-oldest evicts the oldest events to make room, by count and by bytes", () => {
    const q = new EventQueue(2, 25, "drop-oldest");
    q.push(ev("a"));
    q.push(ev("b"));
    expect(ids(q.push(ev("c")))).toEqual(["a"]);
    expect(ids(q.push(ev("d", 20)))).toEqual(["b", "c"]);
    expect(ids(q.take(10, 1000))).toEqual(["d"]);
  });

  it("stays correct across many pushes and takes", () => {
    const q = new EventQueue(10_000, 1e9, "drop-newest");
    const seen: string[] = [];
    for (let i = 0; i < 5000; i++) {
      q.push(ev(String(i)));
      if (i % 3 === 0) seen.push(...ids(q.take(2, 1e9)));
    }
    seen.push(...ids(q.take(10_000, 1e9)));
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => String(i)));
  });
});
