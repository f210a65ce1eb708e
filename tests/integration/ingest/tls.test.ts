import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import { credentials, status, type ServiceError } from "@grpc/grpc-js";
import { createClient, tlsCredentials, UnaryTransport, type BatchSentInfo } from "@trackway/client";
import { EventBatch } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestWorld, type IngestWorld } from "../../support/index.js";

const sh = promisify(execFile);
let w: IngestWorld;
let dir: string;
let pem: Record<"ca" | "clientCert" | "clientKey", Buffer>;

/** A CA of the test's own, a server certificate for 127.0.0.1 and a client certificate, all signed by it (openssl). */
async function makeCertificates(d: string): Promise<void> {
  const ssl = (...args: string[]) => sh("openssl", args, { cwd: d });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=trackway-test-ca");
  await writeFile(join(d, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  await writeFile(join(d, "client.ext"), "extendedKeyUsage=clientAuth\n");
  for (const who of ["server", "client"]) {
    await ssl("req", ...ec, "-keyout", `${who}.key`, "-out", `${who}.csr`, "-subj", `/CN=trackway-${who}`);
    await ssl("x509", "-req", "-in", `${who}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${who}.pem`, "-days", "2", "-extfile", `${who}.ext`);
  }
}

beforeAll(async () => {
  w = await ingestWorld();
  dir = await mkdtemp(join(tmpdir(), "trackway-tls-"));
  await makeCertificates(dir);
  pem = { ca: await readFile(join(dir, "ca.pem")), clientCert: await readFile(join(dir, "client.pem")), clientKey: await readFile(join(dir, "client.key")) };
});
afterAll(async () => {
  await w?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
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
    const ingest = await w.startIngest({ TRACKWAY_TLS_CERT: join(dir, "server.pem"), TRACKWAY_TLS_KEY: join(dir, "server.key") });
    const sent: BatchSentInfo[] = [];
    const client = createClient({ address: ingest.address, apiKey: w.apiKey, schemas: [w.orderV1], tls: { ca: pem.ca }, hooks: { onBatchSent: (b) => sent.push(b) } });
    client.track("shop.order_completed", create(w.orderV1, { orderId: "over-tls" }), { version: 1 });
    await client.close();
    expect(sent.map((b) => b.result.accepted)).toEqual([1]);
    expect(await send(ingest.address, credentials.createInsecure(), "plaintext")).toBe("UNAVAILABLE");
    // A client that does not trust the CA cannot connect either.
    expect(await send(ingest.address, credentials.createSsl(), "untrusted")).toBe("UNAVAILABLE");
  });

  it("with a client CA, accepts only clients presenting a certificate it signed (mutual TLS)", async () => {
    const ingest = await w.startIngest({ TRACKWAY_TLS_CERT: join(dir, "server.pem"), TRACKWAY_TLS_KEY: join(dir, "server.key"), TRACKWAY_TLS_CLIENT_CA: join(dir, "ca.pem") });
    expect(await send(ingest.address, tlsCredentials({ ca: pem.ca }), "no-client-cert")).toBe("UNAVAILABLE");
    expect(await send(ingest.address, tlsCredentials({ ca: pem.ca, cert: pem.clientCert, key: pem.clientKey }), "client-cert")).toBe("accepted");
  });

  it("refuses to start with half a TLS setting, naming it", async () => {
    await expect(w.startIngest({ TRACKWAY_TLS_CERT: join(dir, "server.pem") })).rejects.toMatchObject({ reason: "TLS_CONFIG_INVALID" });
  });
});
