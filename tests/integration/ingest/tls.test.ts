import { create } from "@bufbuild/protobuf";
import { credentials, status, type ServiceError } from "@grpc/grpc-js";
import { createClient, tlsCredentials, type BatchSentInfo } from "@trackway/client";
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

const send = (address: string, creds: ReturnType<typeof credentials.createInsecure>, id: string) =>
  w.sendOrder(address, w.apiKey, id, { credentials: creds, timeoutMs: 5000 }).then(
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
