import { describe, expect, it } from "vitest";
import { matchRoute, type Route } from "./router.js";

const h = async () => null;
const routes: Route[] = [
  { method: "GET", path: "/api/catalog/subjects", handler: h },
  { method: "GET", path: "/api/catalog/subjects/:subject/versions", handler: h },
  { method: "POST", path: "/api/jobs/:id/:action", handler: h },
];

describe("matchRoute", () => {
  it("matches by method and path and decodes parameters", () => {
    const m = matchRoute(routes, "GET", "/api/catalog/subjects/shop.page%20viewed/versions");
    expect(m?.route).toBe(routes[1]);
    expect(m?.params).toEqual({ subject: "shop.page viewed" });
  });

  it("finds nothing for another method, length or a bad escape", () => {
    expect(matchRoute(routes, "POST", "/api/catalog/subjects")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/api/catalog")).toBeUndefined();
    expect(matchRoute(routes, "POST", "/api/jobs/%E0%A4%A/stop")).toBeUndefined();
  });
});
