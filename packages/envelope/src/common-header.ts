import { EventHeaderSchema } from "@trackway/proto/es/event/v1";
import type { EventHeader } from "@trackway/proto/event/v1";
import { mergeMessage } from "./merge-message.js";

/**
 * The header an event really has: the batch's `common` header with the event's own header merged over it.
 * The event's set fields win, unset fields inherit, attributes merge by key.
 */
export function expandCommon(common: EventHeader | undefined, own: EventHeader | undefined): EventHeader {
  return mergeMessage(EventHeaderSchema, common, own) ?? ({} as EventHeader);
}

/** The identity key of an event: the first of user id, anonymous id, device id that is set, else "". */
export function identityKey(header: EventHeader): string {
  const id = header.identity;
  return id?.userId || id?.anonymousId || id?.deviceId || "";
}
