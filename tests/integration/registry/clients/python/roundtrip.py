"""Produces and consumes OrderPlaced through Confluent's own Protobuf serde against the registry and Kafka.

Argument: a JSON object {registry, brokers, topic, descriptorSet}. Prints one JSON object with what happened.
The message classes are built from the compiled descriptor set (as generated _pb2 modules would be), so the
serializer sees a file importing one of its own files and google/protobuf/timestamp.proto.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, timestamp_pb2  # noqa: F401 (timestamp in the pool)
from google.protobuf.message_factory import GetMessageClass

cfg = json.loads(sys.argv[1])
fds = descriptor_pb2.FileDescriptorSet.FromString(open(cfg["descriptorSet"], "rb").read())
pool = descriptor_pool.Default()
for f in fds.file:
    if not f.name.startswith("google/protobuf/"):
        pool.AddSerializedFile(f.SerializeToString())
OrderPlaced = GetMessageClass(pool.FindMessageTypeByName("acme.shop.v1.OrderPlaced"))

# The registry authenticates every request: an API key as basic.auth.user.info (key-id:secret).
sr = SchemaRegistryClient({"url": cfg["registry"], **({"basic.auth.user.info": cfg["userInfo"]} if cfg.get("userInfo") else {})})
topic, topic_wkt = cfg["topic"], cfg["topic"] + "-wkt"


def order(n):
    m = OrderPlaced(order_id=f"o-{n}", tags=["py", str(n)])
    m.total.units = 1000 + n
    m.total.currency = "EUR"
    m.placed_at.seconds = 1_700_000_000 + n
    m.quantities["sku-1"] = n
    return m


def ctx(t):
    return SerializationContext(t, MessageField.VALUE)


# 1. auto-register (the default): registers acme/common/money.proto under its path, then <topic>-value.
auto = ProtobufSerializer(OrderPlaced, sr)
# 2. the same, also registering the well-known file as a subject of its own.
with_wkt = ProtobufSerializer(OrderPlaced, sr, {"skip.known.types": False})
frames = [(topic, auto(order(1), ctx(topic))), (topic_wkt, with_wkt(order(2), ctx(topic_wkt)))]
# 3. use.latest.version without registering: reads the latest version with format=serialized.
latest = ProtobufSerializer(OrderPlaced, sr, {"auto.register.schemas": False, "use.latest.version": True})
frames.append((topic, latest(order(3), ctx(topic))))

producer = Producer({"bootstrap.servers": cfg["brokers"], "enable.idempotence": True})
for t, value in frames:
    producer.produce(t, value=value)
if producer.flush(30) != 0:
    sys.exit("messages were not delivered")

consumer = Consumer({
    "bootstrap.servers": cfg["brokers"],
    "group.id": cfg["topic"] + "-py",
    "auto.offset.reset": "earliest",
})
consumer.subscribe([topic, topic_wkt])
# A fresh deserializer has no cache: it fetches each writer schema by id with format=serialized, and its references.
deserializer = ProtobufDeserializer(OrderPlaced, {"use.deprecated.format": False}, sr)
decoded = []
deadline = time.time() + 60
while len(decoded) < len(frames) and time.time() < deadline:
    msg = consumer.poll(1.0)
    if msg is None:
        continue
    if msg.error():
        sys.exit(f"consumer error: {msg.error()}")
    value = deserializer(msg.value(), ctx(msg.topic()))
    decoded.append({"topic": msg.topic(), "schemaId": int.from_bytes(msg.value()[1:5], "big"),
                    "value": json_format.MessageToDict(value)})
consumer.close()

print(json.dumps({
    "decoded": sorted(decoded, key=lambda d: d["value"]["orderId"]),
    "subjects": sorted(sr.get_subjects()),
}))
