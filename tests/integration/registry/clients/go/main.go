// Command confluent-go-client produces and consumes acme.shop.v1.OrderPlaced through confluent-kafka-go's own
// Protobuf serde against a schema registry and Kafka, and prints what happened as JSON. The registry
// compatibility suite (tests/integration/registry/confluent-serializers.test.ts) runs it.
//
// Argument: a JSON object {registry, userInfo, brokers, topic, readTopics} (userInfo: key-id:secret, sent as HTTP Basic). It auto-registers (acme/common/money.proto
// under its own path as the Go serializer names references, then <topic>-value), serializes again with
// use.latest.version, produces both to <topic>, and decodes every message of <topic> and readTopics with a
// fresh deserializer.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/serde"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/serde/protobuf"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"trackway.dev/tests/confluent/acmepb"
)

type config struct {
	Registry   string   `json:"registry"`
	UserInfo   string   `json:"userInfo"`
	Brokers    string   `json:"brokers"`
	Topic      string   `json:"topic"`
	ReadTopics []string `json:"readTopics"`
}

type decoded struct {
	Topic    string          `json:"topic"`
	SchemaID int             `json:"schemaId"`
	Value    json.RawMessage `json:"value"`
}

func order(n int32) *acmepb.OrderPlaced {
	return &acmepb.OrderPlaced{
		OrderId:    fmt.Sprintf("go-%d", n),
		Total:      &acmepb.Money{Units: int64(2000 + n), Currency: "USD"},
		PlacedAt:   timestamppb.New(time.Unix(int64(1_800_000_000+n), 0)),
		Quantities: map[string]int32{"sku-9": n},
		Tags:       []string{"go"},
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	var cfg config
	if err := json.Unmarshal([]byte(os.Args[1]), &cfg); err != nil {
		fail("bad argument: %v", err)
	}
	client, err := schemaregistry.NewClient(registryConfig(cfg))
	if err != nil {
		fail("registry client: %v", err)
	}

	auto, err := protobuf.NewSerializer(client, serde.ValueSerde, protobuf.NewSerializerConfig())
	if err != nil {
		fail("serializer: %v", err)
	}
	first, err := auto.Serialize(cfg.Topic, order(1))
	if err != nil {
		fail("serialize (auto-register): %v", err)
	}
	latestConf := protobuf.NewSerializerConfig()
	latestConf.AutoRegisterSchemas = false
	latestConf.UseLatestVersion = true
	latest, err := protobuf.NewSerializer(client, serde.ValueSerde, latestConf)
	if err != nil {
		fail("serializer: %v", err)
	}
	second, err := latest.Serialize(cfg.Topic, order(2))
	if err != nil {
		fail("serialize (use.latest.version): %v", err)
	}

	producer, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": cfg.Brokers, "enable.idempotence": true})
	if err != nil {
		fail("producer: %v", err)
	}
	deliveries := make(chan kafka.Event, 2)
	for _, v := range [][]byte{first, second} {
		if err := producer.Produce(&kafka.Message{TopicPartition: kafka.TopicPartition{Topic: &cfg.Topic, Partition: kafka.PartitionAny}, Value: v}, deliveries); err != nil {
			fail("produce: %v", err)
		}
	}
	for i := 0; i < 2; i++ {
		if m := (<-deliveries).(*kafka.Message); m.TopicPartition.Error != nil {
			fail("delivery: %v", m.TopicPartition.Error)
		}
	}
	producer.Close()

	consumer, err := kafka.NewConsumer(&kafka.ConfigMap{"bootstrap.servers": cfg.Brokers, "group.id": cfg.Topic + "-go", "auto.offset.reset": "earliest"})
	if err != nil {
		fail("consumer: %v", err)
	}
	topics := append([]string{cfg.Topic}, cfg.ReadTopics...)
	if err := consumer.SubscribeTopics(topics, nil); err != nil {
		fail("subscribe: %v", err)
	}
	// A second client: no cache, so the deserializer fetches every writer schema and its references.
	fresh, err := schemaregistry.NewClient(registryConfig(cfg))
	if err != nil {
		fail("registry client: %v", err)
	}
	deser, err := protobuf.NewDeserializer(fresh, serde.ValueSerde, protobuf.NewDeserializerConfig())
	if err != nil {
		fail("deserializer: %v", err)
	}
	if err := deser.ProtoRegistry.RegisterMessage((&acmepb.OrderPlaced{}).ProtoReflect().Type()); err != nil {
		fail("register type: %v", err)
	}
	want := 2
	if n := os.Getenv("CONFLUENT_GO_EXPECT"); n != "" {
		fmt.Sscan(n, &want)
	}
	var out []decoded
	deadline := time.Now().Add(60 * time.Second)
	for len(out) < want && time.Now().Before(deadline) {
		m, err := consumer.ReadMessage(time.Second)
		if err != nil {
			if e, ok := err.(kafka.Error); ok && e.IsTimeout() {
				continue
			}
			fail("read: %v", err)
		}
		v, err := deser.Deserialize(*m.TopicPartition.Topic, m.Value)
		if err != nil {
			fail("deserialize: %v", err)
		}
		j, err := protojson.Marshal(v.(proto.Message))
		if err != nil {
			fail("json: %v", err)
		}
		id := int(m.Value[1])<<24 | int(m.Value[2])<<16 | int(m.Value[3])<<8 | int(m.Value[4])
		out = append(out, decoded{Topic: *m.TopicPartition.Topic, SchemaID: id, Value: j})
	}
	consumer.Close()
	subjects, err := client.GetAllSubjects()
	if err != nil {
		fail("subjects: %v", err)
	}
	sort.Strings(subjects)
	json.NewEncoder(os.Stdout).Encode(map[string]any{"decoded": out, "subjects": subjects})
}

// registryConfig authenticates with the API key as basic.auth.user.info (key-id:secret) when one is given.
func registryConfig(cfg config) *schemaregistry.Config {
	if cfg.UserInfo == "" {
		return schemaregistry.NewConfig(cfg.Registry)
	}
	user, pass, _ := strings.Cut(cfg.UserInfo, ":")
	return schemaregistry.NewConfigWithBasicAuthentication(cfg.Registry, user, pass)
}
