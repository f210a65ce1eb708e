import type { handleServerStreamingCall, handleUnaryCall, sendUnaryData, ServerUnaryCall, ServerWritableStream } from "@grpc/grpc-js";
import type { Logger } from "./logger.js";
import { isTrackwayError, toStatus } from "./errors.js";

/** Sends an error to the caller as a status; logs anything that is not a TrackwayError with its cause. */
function fail(e: unknown, logger: Logger | undefined, method: string): ReturnType<typeof toStatus> {
  if (!isTrackwayError(e)) logger?.error("handler failed", { method, err: e instanceof Error ? e.stack : String(e) });
  return toStatus(e);
}

/** Adapts an async unary handler to grpc-js; a thrown TrackwayError becomes its status and reason. */
export function unary<Req, Res>(
  fn: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
  logger?: Logger,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    fn(call.request, call).then(
      (res) => callback(null, res),
      (e: unknown) => callback(fail(e, logger, call.getPath())),
    );
  };
}

/** Adapts an async-iterable producer to a grpc-js server-streaming handler, honouring back-pressure and cancellation. */
export function serverStreaming<Req, Res>(
  fn: (request: Req, call: ServerWritableStream<Req, Res>, signal: AbortSignal) => AsyncIterable<Res>,
  logger?: Logger,
): handleServerStreamingCall<Req, Res> {
  return (call: ServerWritableStream<Req, Res>) => {
    const abort = new AbortController();
    call.on("cancelled", () => abort.abort(new Error("call cancelled by the client")));
    void (async () => {
      try {
        for await (const message of fn(call.request, call, abort.signal)) {
          if (abort.signal.aborted) break;
          // Wait for the transport to drain rather than buffer a whole result in memory.
          if (!call.write(message)) await new Promise<void>((r) => call.once("drain", () => r()));
        }
        if (!abort.signal.aborted) call.end();
      } catch (e) {
        // grpc-js sends a server stream's status on an `error` event; destroy() would leave the client waiting.
        if (!abort.signal.aborted) call.emit("error", fail(e, logger, call.getPath()));
      }
    })();
  };
}
