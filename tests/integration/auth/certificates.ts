import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const sh = promisify(execFile);

/** A test's own CA with a server certificate for 127.0.0.1/localhost and a client certificate, as files and PEM. */
export interface TestCertificates {
  dir: string;
  /** Paths of the PEM files. */
  files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  remove(): Promise<void>;
}

/** Makes a CA and certificates signed by it with openssl (EC P-256, valid two days). */
export async function makeCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), "trackway-tls-"));
  const ssl = (...args: string[]) => sh("openssl", args, { cwd: dir });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=trackway-test-ca");
  await writeFile(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  await writeFile(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  for (const who of ["server", "client"]) {
    await ssl("req", ...ec, "-keyout", `${who}.key`, "-out", `${who}.csr`, "-subj", `/CN=trackway-${who}`);
    await ssl("x509", "-req", "-in", `${who}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${who}.pem`, "-days", "2", "-extfile", `${who}.ext`);
  }
  const f = (n: string) => join(dir, n);
  return {
    dir,
    files: { ca: f("ca.pem"), serverCert: f("server.pem"), serverKey: f("server.key"), clientCert: f("client.pem"), clientKey: f("client.key") },
    ca: await readFile(f("ca.pem")),
    clientCert: await readFile(f("client.pem")),
    clientKey: await readFile(f("client.key")),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
