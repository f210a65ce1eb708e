/** Longest subject name accepted. */
export const MAX_SUBJECT_LENGTH = 255;

/**
 * Why a subject name is unacceptable, or undefined when it is fine. Names are free-form as in Confluent
 * (`checkout.order_completed`, `orders-value`, `:.ctx:name`) but must be printable, without `/` (it would
 * break REST paths) and at most 255 characters.
 */
export function subjectNameProblem(name: string): string | undefined {
  if (name.length === 0) return "a subject name is required";
  if (name.length > MAX_SUBJECT_LENGTH) return `a subject name has at most ${MAX_SUBJECT_LENGTH} characters`;
  if (/[\s/\\\p{Cc}]/u.test(name)) return "a subject name has no spaces, slashes or control characters";
  return undefined;
}
