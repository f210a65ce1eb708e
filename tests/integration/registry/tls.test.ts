import { request } from "node:https";
import { credentials, status, type ServiceError } from "@grpc/grpc-js";
import { tlsCredentials } from "@trackway/client";
import { createRegistryClient } from "@trackway/registry-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificates, type TestCertificates } from "../auth/certificates.js";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";

let certs: TestCertificates;
let t: TestRegistry;
beforeAll(async () => {
  certs = await makeCertificates();
  t = await startTestRegistry({ TRACKWAY_TLS_CERT: certs.files.serverCert, TRACKWAY_TLS_KEY: certs.files.serverKey });
});
afterAll(async () => {
  await t?.stop();
  await certs?.remove();
});

/** GET over HTTPS trusting `ca`; resolves with the status code, or the connection error's code. */
const httpsGet = (path: string, ca: Buffer | undefined, headers: Record<string, string>) =>
  new Promise<number | string>((resolve) => {
    const req = request(`https://127.0.0.1:${t.registry.restPort}${path}`, { ca, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
    req.end();
  });

describe("the registry over TLS", () => {
  it("serves gRPC to a client trusting its CA and refuses plaintext", async () => {
    const secure = createRegistryClient(t.registry.address, { apiKey: t.admin.key, credentials: tlsCredentials({ ca: certs.ca }) });
    const plain = createRegistryClient(t.registry.address, { apiKey: t.admin.key, credentials: credentials.createInsecure(), timeoutMs: 3000 });
    try {
      expect((await secure.listSubjects({})).subjects.map((s) => s.name)).toContain("trackway.event.v1");
      expect(await plain.listSubjects({}).then(() => "served", (e: ServiceError) => status[e.code])).toBe("UNAVAILABLE");
    } finally {
      secure.close();
      plain.close();
    }
  });

  it("serves the REST API over HTTPS, still behind authentication", async () => {
    expect(await httpsGet("/subjects", certs.ca, t.auth)).toBe(200);
    expect(await httpsGet("/subjects", certs.ca, {})).toBe(401);
    expect(await httpsGet("/subjects", undefined, t.auth)).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });
});
