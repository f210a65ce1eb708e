/** What happened to an event, as counted per minute: accepted, accepted with a contract warning, or rejected. */
export type Outcome = "accepted" | "warned" | "rejected";

/** One counter cell of a batch: an event name, its schema version (as resolved, else as sent), an outcome. */
export interface TallyCell {
  eventName: string;
  schemaVersion: number;
  outcome: Outcome;
  events: number;
}

/** The events of one batch counted by event name × version × outcome. */
export class OutcomeTally {
  private readonly cells = new Map<string, TallyCell>();

  /** Counts one event. */
  add(eventName: string, schemaVersion: number, outcome: Outcome): void {
    const k = `${eventName}\u0000${schemaVersion}\u0000${outcome}`;
    const c = this.cells.get(k);
    if (c) c.events += 1;
    else this.cells.set(k, { eventName, schemaVersion, outcome, events: 1 });
  }

  /** The non-empty cells. */
  entries(): TallyCell[] {
    return [...this.cells.values()];
  }
}
