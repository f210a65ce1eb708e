import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { dwdColumns, dwdViewName, dwdViewSql } from "./dwd-view.js";

// The example shop's contracts, compiled by buf as the registry compiles them.
const root = join(import.meta.dirname, "../../..");
const image = execFileSync(join(root, "node_modules/.bin/buf"), ["build", "-o", "-"], { cwd: join(root, "examples/proto") });
const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, image));
const order = registry.getMessage("shop.v1.OrderCompleted")!;

describe("dwdViewName", () => {
  it("turns an event name into a SQL identifier", () => {
    expect(dwdViewName("shop.order_completed")).toBe("dwd_shop_order_completed");
    expect(dwdViewName("Checkout.Order-Completed")).toBe("dwd_checkout_order_completed");
  });
});

describe("dwdColumns", () => {
  it("types every property: nested messages as ROW, 64-bit as BIGINT, enums as STRING, timestamps, lists as JSON", () => {
    expect(dwdColumns(order)).toEqual([
      { name: "order_id", type: "STRING" },
      { name: "total", type: "ROW<`units` BIGINT, `nanos` INT, `currency` STRING>" },
      { name: "skus", type: "STRING" },
      { name: "payment_method", type: "STRING" },
      { name: "paid_at", type: "TIMESTAMP(3)" },
      { name: "coupon", type: "STRING" },
    ]);
  });
});

describe("dwdViewSql", () => {
  const sql = dwdViewSql("shop.order_completed", order);

  it("reads properties with their JSON paths from ods_events, filtered by event name", () => {
    expect(sql).toContain("CREATE TEMPORARY VIEW IF NOT EXISTS `dwd_shop_order_completed` AS");
    expect(sql).toContain("CAST(JSON_VALUE(properties, '$.total.units') AS BIGINT)");
    expect(sql).toContain("JSON_QUERY(properties, '$.skus') AS `skus`");
    expect(sql).toMatch(/FROM `ods_events`\nWHERE event_name = 'shop.order_completed'$/);
  });

  it("casts only the outermost ROW of a nested message (Flink 1.17 refuses a CAST ROW inside a ROW)", () => {
    const product = dwdViewSql("shop.product_added", registry.getMessage("shop.v1.ProductAdded")!);
    expect(product).toContain(
      "CAST(ROW(JSON_VALUE(properties, '$.product.sku'), JSON_VALUE(properties, '$.product.name'), JSON_VALUE(properties, '$.product.category'), " +
        "ROW(CAST(JSON_VALUE(properties, '$.product.price.units') AS BIGINT), CAST(JSON_VALUE(properties, '$.product.price.nanos') AS INT), JSON_VALUE(properties, '$.product.price.currency'))) " +
        "AS ROW<`sku` STRING, `name` STRING, `category` STRING, `price` ROW<`units` BIGINT, `nanos` INT, `currency` STRING>>) AS `product`",
    );
  });

  it("escapes quotes in names", () => {
    expect(dwdViewSql("it's", order)).toContain("WHERE event_name = 'it''s'");
  });
});
