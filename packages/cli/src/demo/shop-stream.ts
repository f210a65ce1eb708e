/** One planned event of the demo shop: what the SDK sends, and what the answers are computed from. */
export interface PlannedEvent {
  id: string;
  name: string;
  /** Schema version to send; a version that is not registered makes the event invalid. */
  version: number;
  user: string;
  session: string;
  time: number;
  /** Properties as plain protobuf-es init objects of the event's message. */
  properties: Record<string, unknown>;
  /** Why ingest will reject it (the demo's invalid events), or undefined. */
  invalid?: "UNKNOWN_EVENT" | "UNKNOWN_SCHEMA_VERSION" | "CONTRACT_VIOLATION";
  /** True for a client retry of an event already planned (same id). */
  duplicate?: boolean;
}

/** Options of the generated stream. */
export interface ShopStreamOptions {
  seed: number;
  users: number;
  /** The stream's events happen in the hours before this instant. */
  end: number;
  hours: number;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same stream, so tests can recompute it. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATALOG = [
  { sku: "SHOE-RUN-42", name: "Trail runner", category: "shoes/running", units: 89 },
  { sku: "SHOE-WALK-40", name: "City walker", category: "shoes/walking", units: 69 },
  { sku: "SOCK-3P", name: "Socks, 3 pairs", category: "accessories", units: 12 },
  { sku: "JACKET-RAIN", name: "Rain jacket", category: "outerwear", units: 129 },
  { sku: "CAP-SUN", name: "Sun cap", category: "accessories", units: 19 },
];

/**
 * A realistic shop stream: users in sessions browse pages and products, some add to cart, fewer start the
 * checkout, fewer still pay. A few events are re-sent with the same id (client retries: duplicates), and a
 * few are invalid (an unregistered event name, an unregistered schema version). Events come out in send order,
 * which is not event-time order across users.
 */
export function shopStream(o: ShopStreamOptions): PlannedEvent[] {
  const rnd = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = o.end - o.hours * 3_600_000;
  const out: PlannedEvent[] = [];
  let n = 0;
  const add = (e: Omit<PlannedEvent, "id" | "version"> & { version?: number }) => out.push({ version: 1, ...e, id: `demo-${o.seed}-${n++}` });
  for (let u = 0; u < o.users; u++) {
    const user = `user-${String(u).padStart(4, "0")}`;
    const sessions = 1 + Math.floor(rnd() * 2);
    for (let s = 0; s < sessions; s++) {
      const session = `${user}-s${s}`;
      // Sessions start early enough that their last step (≤ 30 min later) stays before `end`.
      let t = start + Math.floor(rnd() * (o.hours * 3_600_000 - 40 * 60_000));
      const step = () => (t += 20_000 + Math.floor(rnd() * 100_000));
      const common = { user, session };
      for (let p = 1 + Math.floor(rnd() * 3); p > 0; p--) add({ ...common, name: "shop.page_viewed", time: step(), properties: { pageType: pick(["home", "category", "search"]), loadTimeMs: 200 + Math.floor(rnd() * 800) } });
      if (rnd() < 0.75) {
        const product = pick(CATALOG);
        const p = { sku: product.sku, name: product.name, category: product.category, price: { units: BigInt(product.units), currency: "EUR" } };
        add({ ...common, name: "shop.product_viewed", time: step(), properties: { product: p, source: pick(["search", "recommendation", "category"]) } });
        if (rnd() < 0.55) {
          const cart = `cart-${session}`;
          const quantity = 1 + Math.floor(rnd() * 2);
          add({ ...common, name: "shop.product_added", time: step(), properties: { product: p, quantity, cartId: cart } });
          if (rnd() < 0.65) {
            const total = { units: BigInt(product.units * quantity), currency: "EUR" };
            add({ ...common, name: "shop.checkout_started", time: step(), properties: { cartId: cart, cartTotal: total, itemCount: quantity } });
            if (rnd() < 0.7) {
              add({ ...common, name: "shop.order_completed", time: step(), properties: { orderId: `order-${session}`, total, skus: [product.sku], paymentMethod: 1 + Math.floor(rnd() * 3) } });
            }
          }
        }
      }
    }
  }
  // Client retries: the same events again, same ids, later in the stream.
  const valid = out.length;
  for (let i = 0; i < valid; i += 29) out.push({ ...out[i]!, duplicate: true });
  // Invalid events: a name nobody registered, and a version nobody registered.
  for (let i = 0; i < 3; i++) add({ user: `user-000${i}`, session: `user-000${i}-s0`, name: "shop.wishlist_added", time: start + 60_000 * (i + 1), properties: {}, invalid: "UNKNOWN_EVENT" });
  for (let i = 0; i < 2; i++) add({ user: `user-000${i}`, session: `user-000${i}-s0`, name: "shop.page_viewed", version: 7, time: start + 90_000 * (i + 1), properties: { pageType: "home" }, invalid: "UNKNOWN_SCHEMA_VERSION" });
  // An order that breaks its contract's rules (examples/proto: an empty order id, a zero total for an item). Version 0
  // (the newest) so the check holds on a registry that also kept versions registered before the rules.
  add({ user: "user-0000", session: "user-0000-s0", name: "shop.order_completed", version: 0, time: start + 120_000, properties: { orderId: "", total: { units: 0n, currency: "EUR" }, skus: ["sku-1"], paymentMethod: 1 }, invalid: "CONTRACT_VIOLATION" });
  return out;
}
