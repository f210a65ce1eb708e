const KAFKA_CONNECTOR = /'connector'\s*=\s*'kafka'/;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Adds connector options (the Kafka SASL/TLS `properties.*` from `@trackway/kafka`'s `flinkKafkaOptions`) to a
 * statement declaring a Kafka table, right after its `'connector' = 'kafka'`; other statements are returned as they are.
 */
export function withKafkaOptions(statement: string, options: Readonly<Record<string, string>>): string {
  const entries = Object.entries(options);
  if (entries.length === 0 || !KAFKA_CONNECTOR.test(statement)) return statement;
  const added = entries.map(([k, v]) => `${literal(k)} = ${literal(v)}`).join(",\n  ");
  // A function replacer: a password may hold `$&` or `$1`.
  return statement.replace(KAFKA_CONNECTOR, (m) => `${m},\n  ${added}`);
}
