import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { create, createFileRegistry, createMutableRegistry, fromBinary, toJson, type DescMessage } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { ProtobufDeserializer, ProtobufSerializer, SchemaRegistryClient, SerdeType } from "@confluentinc/schemaregistry";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { ensureStack } from "@trackway/stack";
import { createKafka } from "@trackway/kafka";
import { silentLogger } from "@trackway/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureGoClient, ensurePython } from "../../../scripts/ensure-clients.mjs";
import { buildFixtures, clientsDir } from "./clients/fixtures.js";
import { startTestRegistry, type TestRegistry } from "../../support/index.js";

// Confluent's own serializers, unmodified, against this registry and the stack's real Kafka: what a Kafka team's
// producers and consumers run. Python and Go run as child processes (pinned in clients/, installed and cached by
// scripts/ensure-clients.mjs); each prints a JSON report that is checked here and against the registry.
const run = promisify(execFile);
const suffix = randomBytes(3).toString("hex");
const pyTopic = `confluent-py-${suffix}`;
const goTopic = `confluent-go-${suffix}`;
const jsTopic = `confluent-js-${suffix}`;

let t: TestRegistry;
let brokers: string[];
let descriptorSet: string;
let work: string;
let python: string;
let goClient: string;
beforeAll(async () => {
  brokers = (await ensureStack()).kafkaBrokers;
  python = ensurePython();
  goClient = ensureGoClient();
  t = await startTestRegistry();
  work = mkdtempSync(join(tmpdir(), "confluent-clients-"));
  descriptorSet = await buildFixtures(work);
  const admin = createKafka({ clientId: "confluent-it", brokers, requestTimeoutMs: 30_000 }, silentLogger).admin();
  await admin.connect();
  try {
    const topics = [pyTopic, `${pyTopic}-wkt`, goTopic, jsTopic].map((topic) => ({ topic, numPartitions: 1 }));
    await admin.createTopics({ topics, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
});
afterAll(async () => {
  await t?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The registry key as Confluent clients take it: basic.auth.user.info = key-id:secret. */
const userInfo = () => `${t.admin.keyId}:${t.admin.key}`;
const rest = async (path: string) => (await fetch(`${t.rest}${path}`, { headers: t.auth })).json() as Promise<Record<string, unknown> & unknown[]>;
const path = (s: string) => encodeURIComponent(s);

interface Report {
  decoded: { topic: string; schemaId: number; value: Record<string, unknown> }[];
  subjects: string[];
}

async function report(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Report> {
  try {
    const { stdout } = await run(cmd, args, { cwd: clientsDir, env: { ...process.env, ...env }, timeout: 240_000, maxBuffer: 8 << 20 });
    return JSON.parse(stdout) as Report;
  } catch (e) {
    const x = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} failed: ${x.message}\n${x.stderr ?? ""}${x.stdout ?? ""}`);
  }
}

describe("Confluent's Python client (confluent-kafka ProtobufSerializer/ProtobufDeserializer)", () => {
  it("auto-registers a message importing its own file and a well-known type, produces, consumes and decodes it", async () => {
    const r = await report(python, [join(clientsDir, "python/roundtrip.py"), JSON.stringify({ registry: t.rest, userInfo: userInfo(), brokers: brokers.join(","), topic: pyTopic, descriptorSet })]);
    expect(r.decoded.map((d) => d.value)).toEqual([1, 2, 3].map((n) => ({
      orderId: `o-${n}`,
      total: { units: String(1000 + n), currency: "EUR" },
      placedAt: new Date((1_700_000_000 + n) * 1000).toISOString().replace(".000Z", "Z"),
      quantities: { "sku-1": n },
      tags: ["py", String(n)],
    })));
    // The serializer named the referenced file's subject by its path; skip.known.types=false also registered the
    // well-known file under its path.
    const expected = ["acme/common/money.proto", "google/protobuf/timestamp.proto", `${pyTopic}-value`, `${pyTopic}-wkt-value`, "trackway.event.v1"];
    expect(r.subjects).toEqual(expected.sort());

    // use.latest.version (format=serialized) found the id auto-register got; the deserializer resolved it.
    const [auto, wkt, latest] = r.decoded;
    const v1 = await rest(`/subjects/${pyTopic}-value/versions/latest`);
    expect(auto!.schemaId).toBe(v1.id);
    expect(latest!.schemaId).toBe(v1.id);
    expect(v1.references).toEqual([{ name: "acme/common/money.proto", subject: "acme/common/money.proto", version: 1 }]);
    // The base64 descriptor was stored as .proto text.
    expect(v1.schema).toContain("message OrderPlaced {");
    const withWkt = await rest(`/subjects/${pyTopic}-wkt-value/versions/latest`);
    expect(wkt!.schemaId).toBe(withWkt.id);
    expect(withWkt.references).toHaveLength(2);
    expect(await rest(`/subjects/${path("acme/common/money.proto")}/versions/1/referencedby`)).toEqual([v1.id, withWkt.id].sort((a, b) => Number(a) - Number(b)));
  });
});

describe("Confluent's Go client (confluent-kafka-go/v2 schemaregistry serde)", () => {
  it("auto-registers and uses the latest version, produces and decodes its messages and the Python producer's", async () => {
    const r = await report(goClient, [JSON.stringify({ registry: t.rest, userInfo: userInfo(), brokers: brokers.join(","), topic: goTopic, readTopics: [pyTopic] })], { CONFLUENT_GO_EXPECT: "4" });
    const values = r.decoded.map((d) => d.value).sort((a, b) => String(a.orderId).localeCompare(String(b.orderId)));
    // Its own two messages, and the two the Python producer sent to its main topic.
    expect(values.map((v) => v.orderId)).toEqual(["go-1", "go-2", "o-1", "o-3"]);
    expect(values[0]).toEqual({
      orderId: "go-1",
      total: { units: "2001", currency: "USD" },
      placedAt: new Date(1_800_000_001 * 1000).toISOString().replace(".000Z", "Z"),
      quantities: { "sku-9": 1 },
      tags: ["go"],
    });
    expect(r.subjects).toContain(`${goTopic}-value`);
    // The Go serializer sends .proto text of the same file the Python one sent as a descriptor: same schema, so
    // the referenced file's subject still has one version and the order schema shares its global id.
    expect(await rest(`/subjects/${path("acme/common/money.proto")}/versions`)).toEqual([1]);
    const go = await rest(`/subjects/${goTopic}-value/versions/latest`);
    const py = await rest(`/subjects/${pyTopic}-value/versions/latest`);
    expect(go.id).toBe(py.id);
    expect(r.decoded.filter((d) => d.topic === goTopic).map((d) => d.schemaId)).toEqual([go.id, go.id]);
  });
});

/** Every record of a topic from the start (kafkajs), until `count` arrived. */
async function consume(topics: string[], count: number): Promise<{ topic: string; value: Buffer }[]> {
  const consumer = createKafka({ clientId: "confluent-it", brokers, requestTimeoutMs: 30_000 }, silentLogger).consumer({ groupId: `confluent-js-${randomBytes(4).toString("hex")}` });
  await consumer.connect();
  const got: { topic: string; value: Buffer }[] = [];
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} records arrived`)), 60_000);
      void consumer.run({
        eachMessage: async ({ topic, message }) => {
          got.push({ topic, value: message.value! });
          if (got.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

describe("Confluent's JavaScript client (@confluentinc/schemaregistry) beside @kafkajs/confluent-schema-registry", () => {
  it("auto-registers and uses the latest version; both clients decode what it produced, and the Python producer's", async () => {
    const files = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSet)));
    const Order = files.getMessage("acme.shop.v1.OrderPlaced") as DescMessage;
    const registry = createMutableRegistry(...files.files);
    const order = (n: number) =>
      create(Order, {
        orderId: `js-${n}`,
        total: { units: BigInt(3000 + n), currency: "GBP" },
        placedAt: { seconds: BigInt(1_900_000_000 + n), nanos: 0 },
        quantities: { "sku-5": n },
        tags: ["js"],
      });
    const client = () => new SchemaRegistryClient({ baseURLs: [t.rest], basicAuthCredentials: { credentialsSource: "USER_INFO", userInfo: userInfo() } });
    const auto = new ProtobufSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: true, registry });
    const latest = new ProtobufSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true, registry });
    const frames = [await auto.serialize(jsTopic, order(1)), await latest.serialize(jsTopic, order(2))];

    const producer = createKafka({ clientId: "confluent-it", brokers, requestTimeoutMs: 30_000 }, silentLogger).producer();
    await producer.connect();
    await producer.send({ topic: jsTopic, acks: -1, messages: frames.map((value) => ({ value })) });
    await producer.disconnect();

    const records = await consume([jsTopic, pyTopic, `${pyTopic}-wkt`], 5);
    // Confluent's deserializer fetches each writer schema with format=serialized (a fresh client: no cache).
    const confluent = new ProtobufDeserializer(client(), SerdeType.VALUE, {});
    const decoded = await Promise.all(records.map(async (r) => toJson(Order, await confluent.deserialize(r.topic, r.value), { registry: files }) as Record<string, unknown>));
    expect(decoded.map((d) => d.orderId).sort()).toEqual(["js-1", "js-2", "o-1", "o-2", "o-3"]);
    expect(decoded.find((d) => d.orderId === "js-2")).toEqual({
      orderId: "js-2",
      total: { units: "3002", currency: "GBP" },
      placedAt: new Date(1_900_000_002 * 1000).toISOString().replace(".000Z", "Z"),
      quantities: { "sku-5": 2 },
      tags: ["js"],
    });
    const js = await rest(`/subjects/${jsTopic}-value/versions/latest`);
    // The same file as the Python and Go producers': the same global id.
    expect(js.id).toBe((await rest(`/subjects/${pyTopic}-value/versions/latest`)).id);
    expect(records.filter((r) => r.topic === jsTopic).map((r) => r.value.readInt32BE(1))).toEqual([js.id, js.id]);

    // @kafkajs/confluent-schema-registry parses the .proto text of GET /schemas/ids/{id} and of its references with
    // protobufjs, which loads no imports of its own: it decodes a message importing a well-known type only when that
    // file is a reference too, as the Python producer registered it with skip.known.types=false.
    const kafkajs = new SchemaRegistry({ host: t.rest, auth: { username: t.admin.keyId, password: t.admin.key } });
    const withWkt = records.find((r) => r.topic === `${pyTopic}-wkt`)!;
    const viaKafkajs = ((await kafkajs.decode(withWkt.value)) as { toJSON(): Record<string, unknown> }).toJSON();
    expect(viaKafkajs).toMatchObject({ orderId: "o-2", total: { units: "1002", currency: "EUR" }, placedAt: { seconds: "1700000002" }, tags: ["py", "2"] });
  });
});
