import type { handleUnaryCall } from "@grpc/grpc-js";
import type { SendBatchResponse } from "@trackway/proto/ingest/v1";
import { unary, type Logger } from "@trackway/runtime";
import type { RawBatch } from "../core/raw-batch.js";
import type { BatchPipeline } from "./batch-pipeline.js";
import { clientIpOf } from "./call-source.js";

/** SendBatch: one batch, one result, answered after Kafka acknowledged the batch's records. */
export function sendBatch(pipeline: BatchPipeline, trustForwardedFor: boolean, logger: Logger): handleUnaryCall<RawBatch, SendBatchResponse> {
  return unary<RawBatch, SendBatchResponse>(async (raw, call) => {
    const grant = await pipeline.authenticate(call.metadata);
    const result = await pipeline.handle(raw, grant, clientIpOf(call.getPeer(), call.metadata, trustForwardedFor), "SendBatch");
    return { result };
  }, logger);
}
