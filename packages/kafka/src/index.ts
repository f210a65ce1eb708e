export { kafkaSettings, KafkaEnv, KAFKA_PROTOCOLS, SASL_MECHANISMS, type KafkaSettings, type KafkaProtocol, type SaslMechanism } from "./settings.js";
export { kafkaSecurityOf, kafkaConnectionOf, kafkaConnectionFromEnv, describeKafkaSecurity, PLAINTEXT, type KafkaSecurity, type KafkaSasl, type KafkaTls, type KafkaConnectionConfig } from "./connection.js";
export { createKafka, kafkajsSecurity, type KafkaConnection } from "./client.js";
export { explainKafkaError, isKafkaAuthenticationError, isKafkaAuthorizationError, kafkaErrorText } from "./errors.js";
export { flinkKafkaOptions } from "./flink-options.js";
