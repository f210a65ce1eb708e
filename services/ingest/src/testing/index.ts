export { FakeSchemas, shopSchemas } from "./fake-schemas.js";
export { ORDER_COMPLETED_V1_SOURCE, ORDER_COMPLETED_V2_SOURCE, orderCompletedDesc, orderCompletedDescriptorSet } from "./shop-schemas.js";
