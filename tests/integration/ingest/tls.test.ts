import { create, toBinary } from "@bufbuild/protobuf";
import { credentials, status, type ServiceError } from "@grpc/grpc-js";
import { createClient, tlsCredentials, UnaryTransport, type BatchSentInfo } from "@trackway/client";
import { EventBatch } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificates, type TestCertificates } from "../auth/certificates.js";
import { ingestWorld, type IngestWorld } from "../../support/index.js";

let w: IngestWorld;
let certs: TestCertificates;

beforeAll(async () => {
  w = await ingestWorld();
  certs = await makeCertificates();
});
afterAll(async () => {
  await w?.stop();
  await certs?.remove();
});

function oneEvent(id: string): Uint8Array {
  const properties = Buffer.from(toBinary(w.orderV1, create(w.orderV1, { orderId: id })));
  return IngestRequest.encode({
    batch: EventBatch.fromPartial({ batchId: id, common: { eventName: "shop.order_completed", schemaVersion: 1 }, events: [{ header: { eventId: id }, properties }] }),
  }).finish();
}
const send = (address: string, creds: ReturnType<typeof credentials.createInsecure>, id: string) =>
  new UnaryTransport({ address, apiKey: w.apiKey, compression: "none", credentials: creds }).send(oneEvent(id), 5000).then(
    () => "accepted",
    (e: ServiceError) => status[e.code],
  );

describe("ingest over TLS", () => {
  it("takes events from the SDK trusting the test's CA, and refuses plaintext", async () => {
    const ingest = await w.startIngest({ TRACKWAY_TLS_CERT: certs.files.serverCert, TRACKWAY_TLS_KEY: certs.files.serverKey });
    const sent: BatchSentInfo[] = [];
    const client = createClient({ address: ingest.address, apiKey: w.apiKey, schemas: [w.orderV1], tls: { ca: certs.ca }, hooks: { onBatchSent: (b) => sent.push(b) } });
    client.track("shop.order_completed", create(w.orderV1, { orderId: "over-tls" }), { version: 1 });
    await client.close();
    expect(sent.map((b) => b.result.accepted)).toEqual([1]);
    expect(await send(ingest.address, credentials.createInsecure(), "plaintext")).toBe("UNAVAILABLE");
    // A client that does not trust the CA cannot connect either.
    expect(await send(ingest.address, credentials.createSsl(), "untrusted")).toBe("UNAVAILABLE");
  });

  it("with a client CA, accepts only clients presenting a certificate it signed (mutual TLS)", async () => {
    const ingest = await w.startIngest({ TRACKWAY_TLS_CERT: certs.files.serverCert, TRACKWAY_TLS_KEY: certs.files.serverKey, TRACKWAY_TLS_CLIENT_CA: certs.files.ca });
    expect(await send(ingest.address, tlsCredentials({ ca: certs.ca }), "no-client-cert")).toBe("UNAVAILABLE");
    expect(await send(ingest.address, tlsCredentials({ ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }), "client-cert")).toBe("accepted");
  });

  it("refuses to start with half a TLS setting, naming it", async () => {
    await expect(w.startIngest({ TRACKWAY_TLS_CERT: certs.files.serverCert })).rejects.toMatchObject({ reason: "TLS_CONFIG_INVALID" });
  });
});
