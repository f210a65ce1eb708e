/**
 * Name of the typed view of an event name (subject), for example `dwd_checkout_order_completed`. The registry refuses
 * a subject whose name maps to another subject's view, and the compute gateway names its views with it: both must use
 * this one function, so it lives here and not in either service.
 */
export function typedViewName(eventName: string): string {
  return `dwd_${eventName.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
}

/** A subject that could get a typed view. */
export interface ViewCandidate {
  subject: string;
  createdAt?: Date;
}

/** A subject whose typed view name another, older subject already holds. */
export interface ViewNameCollision {
  reason: "TYPED_VIEW_NAME_COLLISION";
  subject: string;
  view: string;
  heldBy: string;
}

/**
 * Gives each typed view name to exactly one subject: the oldest (then the first by name) of those mapping to it.
 * View names are derived from subject names in a way that is not one-to-one (`a_b.c` and `a.b_c` both give
 * `dwd_a_b_c`), and a later subject must never take over an earlier subject's view. The others are refused.
 */
export function assignViewNames<T extends ViewCandidate>(candidates: readonly T[], viewName: (subject: string) => string = typedViewName): { owners: Map<string, T>; collisions: ViewNameCollision[] } {
  const sorted = [...candidates].sort((a, b) => (a.createdAt?.getTime() ?? Infinity) - (b.createdAt?.getTime() ?? Infinity) || a.subject.localeCompare(b.subject));
  const owners = new Map<string, T>();
  const collisions: ViewNameCollision[] = [];
  for (const c of sorted) {
    const view = viewName(c.subject);
    const held = owners.get(view);
    if (held) collisions.push({ reason: "TYPED_VIEW_NAME_COLLISION", subject: c.subject, view, heldBy: held.subject });
    else owners.set(view, c);
  }
  return { owners, collisions };
}
