/**
 * A bounded buffer between a fast writer (the topic reader) and a slow reader (a gRPC stream): `push` never waits;
 * when full it drops the oldest item and counts it, so the reader learns how many it lost and ingest never waits.
 */
export class TailBuffer<T> {
  private readonly items: T[] = [];
  private dropped = 0;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number of at least 1, got ${capacity}`);
  }

  /** Adds an item, dropping the oldest one when full. */
  push(item: T): void {
    if (this.closed) return;
    if (this.items.length >= this.capacity) {
      this.items.shift();
      this.dropped += 1;
    }
    this.items.push(item);
    this.wake?.();
  }

  /** Ends iteration once the buffered items are read. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** Total items dropped so far. */
  get droppedTotal(): number {
    return this.dropped;
  }

  /** Yields each item with the number dropped since the previous one yielded; waits while empty. */
  async *drain(signal?: AbortSignal): AsyncGenerator<{ item: T; droppedBefore: number }> {
    let reported = 0;
    const onAbort = () => this.close();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for (;;) {
        const item = this.items.shift();
        if (item !== undefined) {
          const droppedBefore = this.dropped - reported;
          reported = this.dropped;
          yield { item, droppedBefore };
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
