import { create, createFileRegistry, type DescMessage } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { toBinary } from "@bufbuild/protobuf";

/** The `.proto` source of version 1 of the sample event `shop.order_completed`, as registered in the registry. */
export const ORDER_COMPLETED_V1_SOURCE = `syntax = "proto3";
package shop.v1;

// An order was paid.
message OrderCompleted {
  // The order's id.
  string order_id = 1;
  // Total paid, in cents.
  int64 total_cents = 2;
  // Number of items in the order.
  int32 item_count = 3;
}
`;

/** Version 2 of `shop.order_completed`: adds `currency` (a compatible change). */
export const ORDER_COMPLETED_V2_SOURCE = ORDER_COMPLETED_V1_SOURCE.replace(
  "  int32 item_count = 3;\n",
  "  int32 item_count = 3;\n  // ISO 4217 currency code.\n  string currency = 4;\n",
);

const field = (name: string, number: number, type: Type, jsonName: string) => ({ name, number, type, label: Label.OPTIONAL, jsonName });

function orderFile(version: 1 | 2): FileDescriptorProto {
  const fields = [
    field("order_id", 1, Type.STRING, "orderId"),
    field("total_cents", 2, Type.INT64, "totalCents"),
    field("item_count", 3, Type.INT32, "itemCount"),
  ];
  if (version === 2) fields.push(field("currency", 4, Type.STRING, "currency"));
  return create(FileDescriptorProtoSchema, {
    name: `shop/order_v${version}.proto`,
    package: "shop.v1",
    syntax: "proto3",
    messageType: [{ name: "OrderCompleted", field: fields }],
  });
}

/** Runtime descriptor of `shop.v1.OrderCompleted` at version 1 or 2, as a registry's descriptor_set would give. */
export function orderCompletedDesc(version: 1 | 2): DescMessage {
  return createFileRegistry(orderFile(version), () => undefined).getMessage("shop.v1.OrderCompleted")!;
}

/** The serialized FileDescriptorSet of a version, shaped like the registry's `SchemaVersion.descriptor_set`. */
export function orderCompletedDescriptorSet(version: 1 | 2): Uint8Array {
  return toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: [orderFile(version)] }));
}
