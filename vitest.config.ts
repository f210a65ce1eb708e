import { defineConfig } from "vitest/config";

// Two projects: fast unit tests beside the source, and tests on the real stack.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "services/*/src/**/*.test.ts", "tests/unit/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "tests/e2e/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          // The real stack is shared: one file at a time keeps the 2-core machine predictable.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
