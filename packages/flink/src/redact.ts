const QUOTED_PASSWORD = /(password\s*=\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|'')*')/gi;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

/**
 * Hides secrets Flink may echo from a statement's connector options (a Kafka JAAS `password="…"`, a PEM private
 * key) in an error text, so that they reach no caller and no log.
 */
export const redactSecrets = (text: string): string => text.replace(QUOTED_PASSWORD, '$1"****"').replace(PRIVATE_KEY, "****");
