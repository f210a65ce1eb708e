// A user's CI test of their tracking against `trackway micro` (vitest). Start micro first, e.g. in the CI job:
//   npx trackway micro --proto proto --port 50061 --http-port 9090 &
// then run this file with MICRO_URL=http://127.0.0.1:9090 INGEST_ADDRESS=127.0.0.1:50061.
// `checkout()` stands for the code under test: it tracks through the Trackway SDK as in production.
import { create, type Registry } from "@bufbuild/protobuf";
import { createClient } from "@trackway/client";
import { beforeEach, expect, it } from "vitest";

const MICRO = process.env.MICRO_URL ?? "http://127.0.0.1:9090";
const INGEST = process.env.INGEST_ADDRESS ?? "127.0.0.1:50061";
// Any well-formed key: micro accepts every one (it prints one at start).
const KEY = process.env.TRACKWAY_API_KEY ?? "twk_micro-example-key-micro-example-key-0000";

const micro = async <T>(path: string, init?: RequestInit): Promise<T> => (await (await fetch(`${MICRO}${path}`, init)).json()) as T;

/** The app code under test (here: two events); yours comes from your own module. */
async function checkout(schemas: Registry, userId: string): Promise<void> {
  const client = createClient({ address: INGEST, apiKey: KEY, schemas, identity: { userId } });
  client.track("shop.checkout_started", create(schemas.getMessage("shop.v1.CheckoutStarted")!, { itemCount: 2 } as never));
  client.track("shop.order_completed", create(schemas.getMessage("shop.v1.OrderCompleted")!, { orderId: "o-42" } as never));
  await client.close();
}

declare const appSchemas: Registry; // your generated `*_pb.ts` files' registry, e.g. createRegistry(file_shop_v1_order_completed, …)

beforeEach(async () => {
  await micro("/micro/reset", { method: "POST" });
});

it("tracks a checkout with valid events only", async () => {
  await checkout(appSchemas, "u-1");
  expect(await micro("/micro/all")).toEqual({ total: 2, good: 2, bad: 0 });
  expect(await micro("/micro/good?event=shop.order_completed&prop.order_id=o-42&user=u-1")).toHaveLength(1);
  expect(await micro("/micro/bad")).toEqual([]);
});
