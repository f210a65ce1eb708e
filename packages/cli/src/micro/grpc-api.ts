import { file_trackway_micro_v1_micro } from "@trackway/proto/es/micro/v1";
import { MicroServiceService, type GoodRequest } from "@trackway/proto/micro/v1";
import { unary, type ServiceRegistration } from "@trackway/runtime";
import type { MicroStore } from "./micro-store.js";

/** Descriptors of the assertion API, for server reflection. */
export const microDescriptors = [file_trackway_micro_v1_micro];

/** The assertion API over gRPC (`trackway.micro.v1.MicroService`): the same answers as /micro/ over HTTP. */
export function microService(store: MicroStore): ServiceRegistration {
  const goodFilter = (r: GoodRequest) => ({
    event: r.event || undefined,
    version: r.version || undefined,
    user: r.user || undefined,
    properties: r.properties,
  });
  return {
    definition: MicroServiceService,
    implementation: {
      all: unary(async () => store.counts()),
      good: unary(async (r: GoodRequest) => ({ recordsJson: store.goodEvents(goodFilter(r)).map((e) => JSON.stringify(e)) })),
      bad: unary(async (r: { event: string; reason: string }) => ({
        recordsJson: store.badEvents({ event: r.event || undefined, reason: r.reason || undefined }).map((e) => JSON.stringify(e)),
      })),
      reset: unary(async () => {
        store.reset();
        return {};
      }),
    },
  };
}
