/** Longest subject name accepted. */
export const MAX_SUBJECT_LENGTH = 255;

/**
 * Why a subject name is unacceptable, or undefined when it is fine. Names are free-form as in Confluent
 * (`checkout.order_completed`, `orders-value`, `:.ctx:name`, and file paths such as `acme/common/money.proto`,
 * which Confluent's serializers use as the subject of a referenced file) but must be printable, without spaces or
 * backslashes, and at most 255 characters.
 */
export function subjectNameProblem(name: string): string | undefined {
  if (name.length === 0) return "a subject name is required";
  if (name.length > MAX_SUBJECT_LENGTH) return `a subject name has at most ${MAX_SUBJECT_LENGTH} characters`;
  if (/[\s\\\p{Cc}]/u.test(name)) return "a subject name has no spaces, backslashes or control characters";
  return undefined;
}

/**
 * The file name a subject's schema is compiled under: the subject itself when it is a relative `.proto` path
 * (`acme/common/money.proto`, the name other files import it by), else `<subject>.proto` with any `/` made `_`
 * when the path would not be a clean relative one.
 */
export function subjectFileName(subject: string): string {
  const parts = subject.split("/");
  const clean = !subject.startsWith("/") && parts.every((p) => p !== "" && p !== "." && p !== "..");
  if (clean && subject.endsWith(".proto") && subject.length > ".proto".length) return subject;
  return `${clean ? subject : subject.replaceAll("/", "_")}.proto`;
}
