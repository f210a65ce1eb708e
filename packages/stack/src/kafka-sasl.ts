import { PLAINTEXT, type KafkaSecurity } from "@trackway/kafka";
import type { StackConfig } from "./config.js";

type Sasl = NonNullable<StackConfig["kafkaSasl"]>;
const MECHANISMS = ["SCRAM-SHA-256", "SCRAM-SHA-512"] as const;

/** The client listener's name (and protocol) in the rendered server.properties. */
export const kafkaListener = (sasl: Sasl | undefined) => (sasl ? "SASL_PLAINTEXT" : "PLAINTEXT");

/**
 * The broker properties of a SASL listener: SCRAM enabled, the broker authenticating to itself as the first user,
 * and with ACLs the standard authorizer, whose super users are that user and the (plaintext, loopback) controller
 * listener's ANONYMOUS principal, through which the combined node registers its broker with its controller.
 */
export function kafkaSecurityProperties(sasl: Sasl | undefined): string {
  if (!sasl) return "";
  const admin = sasl.users[0]!;
  const lines = [
    "# SASL listener (TRACKWAY_STACK_KAFKA_SCRAM_USERS); users are created by `kafka-storage format --add-scram`.",
    `sasl.enabled.mechanisms=${MECHANISMS.join(",")}`,
    "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256",
    ...MECHANISMS.map(
      (m) => `listener.name.sasl_plaintext.${m.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${admin.name}" password="${admin.password}";`,
    ),
  ];
  if (sasl.acls) {
    lines.push(
      "# ACLs (TRACKWAY_STACK_KAFKA_ACLS): nothing is allowed that is not granted.",
      "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
      `super.users=User:${admin.name};User:ANONYMOUS`,
      "allow.everyone.if.no.acl.found=false",
    );
  }
  return lines.join("\n");
}

/** `kafka-storage format` arguments creating every SCRAM user, for both mechanisms. */
export const scramFormatArgs = (sasl: Sasl | undefined): string[] =>
  (sasl?.users ?? []).flatMap((u) => MECHANISMS.flatMap((m) => ["--add-scram", `${m}=[name=${u.name},password=${u.password}]`]));

/** How the stack's own clients (the health probe) reach the local broker: as its super user when it has a SASL listener. */
export const stackKafkaSecurity = (sasl: Sasl | undefined): KafkaSecurity =>
  sasl ? { protocol: "SASL_PLAINTEXT", sasl: { mechanism: "SCRAM-SHA-256", username: sasl.users[0]!.name, password: sasl.users[0]!.password }, flinkShaded: true } : PLAINTEXT;

/** The TRACKWAY_KAFKA_* settings a service needs for the local broker: its super user's, when it has a SASL listener. */
export function stackKafkaEnvironment(sasl: Sasl | undefined): Record<string, string> {
  if (!sasl) return {};
  const admin = sasl.users[0]!;
  return {
    TRACKWAY_KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
    TRACKWAY_KAFKA_SASL_MECHANISM: "SCRAM-SHA-256",
    TRACKWAY_KAFKA_SASL_USERNAME: admin.name,
    TRACKWAY_KAFKA_SASL_PASSWORD: admin.password,
  };
}
