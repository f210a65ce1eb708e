import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";

/** Thrown when a page calls the API without a signed-in session. */
export const notSignedIn = () => new TrackwayError(status.UNAUTHENTICATED, "NOT_SIGNED_IN", "sign in with an API key first");

/** Thrown when a request body or query parameter is not what the route takes. */
export const badRequest = (message: string) => new TrackwayError(status.INVALID_ARGUMENT, "BAD_REQUEST", message);

/** Thrown when no route matches. */
export const routeNotFound = (path: string) => new TrackwayError(status.NOT_FOUND, "ROUTE_NOT_FOUND", `no API route ${path}`);

/** Thrown when the built single-page app is missing. */
export const appNotBuilt = (dir: string) =>
  new TrackwayError(status.FAILED_PRECONDITION, "CONSOLE_NOT_BUILT", `the console's app is not built in ${dir}: run node scripts/build-console.mjs`);
