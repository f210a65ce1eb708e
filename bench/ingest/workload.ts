import { createProperties, type DescMessage } from "@trackway/envelope";
import type { ClientOptions } from "@trackway/client";
import type { DeepPartial, Context } from "@trackway/proto/event/v1";

/** What a web shop's client sets once: identity and a full context, as a browser SDK would. */
export const identity = { userId: "user-83f2a1", anonymousId: "anon-5c0e9d7b-2f3a-4c1e-9a77-0b6f4d2e8c13", deviceId: "dev-7a1f" };
export const sessionId = "sess-1764064800-42";
export const context: DeepPartial<Context> = {
  app: { name: "shop-web", version: "3.2.1", build: "20261124.3", namespace: "com.example.shop" },
  os: { name: "Mac OS X", version: "14.6.1" },
  device: { manufacturer: "Apple", model: "MacBookPro18,3", type: "desktop" },
  network: { wifi: true },
  locale: "fr-FR",
  timezone: "Europe/Paris",
  library: { name: "@trackway/client", version: "0.1.0" },
  page: { path: "/checkout/confirm", url: "https://shop.example.com/checkout/confirm?step=3", title: "Confirmation — Example Shop", search: "step=3" },
  referrer: { type: "search", name: "google", url: "https://www.google.com/" },
  campaign: { name: "black-friday-2026", source: "newsletter", medium: "email", term: "", content: "hero-banner" },
  userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
};

/** The client options every phase uses (address and key filled in by the caller). */
export const clientBase: Omit<ClientOptions, "address" | "apiKey"> = { identity, sessionId, context, attributes: { ab_test: "checkout-v2", region: "eu-west" } };

/** Properties of event i: an order, different per event. */
export function orderOf(desc: DescMessage, i: number) {
  return createProperties(desc, { orderId: `ord-${1_000_000 + i}`, totalCents: BigInt(1999 + ((i * 7919) % 50_000)), itemCount: 1 + (i % 7), currency: i % 5 === 0 ? "USD" : "EUR" });
}

/** Event i as a Segment-style `track` call in a JSON HTTP batch (api.segment.io/v1/batch), carrying the same data. */
export function segmentTrack(i: number, messageId: string, timestamp: Date) {
  return {
    type: "track",
    event: "shop.order_completed",
    messageId,
    userId: identity.userId,
    anonymousId: identity.anonymousId,
    timestamp: timestamp.toISOString(),
    properties: { order_id: `ord-${1_000_000 + i}`, total_cents: 1999 + ((i * 7919) % 50_000), item_count: 1 + (i % 7), currency: i % 5 === 0 ? "USD" : "EUR" },
    context: {
      app: context.app,
      os: context.os,
      device: { id: identity.deviceId, ...context.device },
      network: context.network,
      locale: context.locale,
      timezone: context.timezone,
      library: context.library,
      page: context.page,
      referrer: context.referrer,
      campaign: context.campaign,
      userAgent: context.userAgent,
      sessionId,
      traits: {},
    },
    integrations: {},
    ab_test: "checkout-v2",
    region: "eu-west",
  };
}

/**
 * `shop.order_completed` v2 with a realistic protovalidate rule set on every field and one CEL rule across two
 * fields; every event of `orderOf` keeps all of them, so the bench measures the cost of checking, not of rejecting.
 */
export const ORDER_RULED_SOURCE = `syntax = "proto3";
package shop.v1;

import "buf/validate/validate.proto";

// An order was paid.
message OrderCompleted {
  option (buf.validate.message).cel = {
    id: "order.average_item_price"
    message: "an order's total must be at least 1.00 per item"
    expression: "this.total_cents >= int(this.item_count) * 100"
  };
  // The order's id.
  string order_id = 1 [(buf.validate.field).string = {min_len: 1, max_len: 64, pattern: "^ord-[0-9]+$"}];
  // Total paid, in cents.
  int64 total_cents = 2 [(buf.validate.field).int64 = {gte: 0, lte: 100000000}];
  // Number of items in the order.
  int32 item_count = 3 [(buf.validate.field).int32 = {gte: 1, lte: 1000}];
  // ISO 4217 currency code.
  string currency = 4 [(buf.validate.field).string = {len: 3, in: ["EUR", "USD", "GBP", "CHF"]}];
}
`;
