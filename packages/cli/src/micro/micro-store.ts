import type { RecordSpec, RejectedEventRecord } from "@trackway/ingest";
import type { EnrichedEvent } from "@trackway/envelope";

/** Filters of `good`: every given one must match. `properties` compares a property's JSON value as text. */
export interface GoodFilter {
  event?: string;
  version?: number;
  user?: string;
  properties?: Record<string, string>;
}

/** Filters of `bad`: every given one must match. */
export interface BadFilter {
  event?: string;
  reason?: string;
}

/** Counts of what was received since the last reset. */
export interface MicroCounts {
  total: number;
  good: number;
  bad: number;
}

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * What the micro pipeline received, in memory: the records ingest would have produced to the events and rejected
 * topics, exactly as it builds them (it is ingest's RecordSink), queryable for assertions.
 */
export class MicroStore {
  private good: EnrichedEvent[] = [];
  private bad: RejectedEventRecord[] = [];

  /** Ingest's sink: keeps the batch's records instead of producing them to Kafka. */
  async produce(records: { events: RecordSpec[]; rejected: RecordSpec[] }): Promise<void> {
    for (const r of records.events) this.good.push(JSON.parse(r.value) as EnrichedEvent);
    for (const r of records.rejected) this.bad.push(JSON.parse(r.value) as RejectedEventRecord);
  }

  counts(): MicroCounts {
    return { total: this.good.length + this.bad.length, good: this.good.length, bad: this.bad.length };
  }

  goodEvents(f: GoodFilter = {}): EnrichedEvent[] {
    return this.good.filter(
      (e) =>
        (f.event === undefined || e.event_name === f.event) &&
        (f.version === undefined || e.schema_version === f.version) &&
        (f.user === undefined || e.user_id === f.user) &&
        Object.entries(f.properties ?? {}).every(([k, v]) => k in e.properties && text(e.properties[k]) === v),
    );
  }

  badEvents(f: BadFilter = {}): RejectedEventRecord[] {
    return this.bad.filter((e) => (f.event === undefined || eventNameOf(e) === f.event) && (f.reason === undefined || e.reasons.includes(f.reason)));
  }

  reset(): void {
    this.good = [];
    this.bad = [];
  }
}

/** A rejected event's name: from the record, else from its parsed header. */
const eventNameOf = (e: RejectedEventRecord): string | undefined =>
  e.event_name ?? ((e.header as { eventName?: string } | undefined)?.eventName || undefined);
