import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { metricFactory } from "./metrics.js";

describe("metricFactory", () => {
  it("registers prefixed counters and histograms, with their labels and buckets, on the given registry", async () => {
    const registry = new Registry();
    const m = metricFactory(registry, "trackway_test_");
    m.counter("calls_total", "Calls.", ["method"]).inc({ method: "Send" }, 2);
    m.histogram("batch_events", "Events per batch.", [1, 10]).observe(5);
    const text = await registry.metrics();
    expect(text).toContain("# HELP trackway_test_calls_total Calls.");
    expect(text).toContain('trackway_test_calls_total{method="Send"} 2');
    expect(text).toContain('trackway_test_batch_events_bucket{le="1"} 0');
    expect(text).toContain('trackway_test_batch_events_bucket{le="10"} 1');
  });
});
