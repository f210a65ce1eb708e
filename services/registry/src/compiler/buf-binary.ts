import { createRequire } from "node:module";
import { arch, endianness } from "node:os";

const require = createRequire(import.meta.url);

// Same table as @bufbuild/buf's own launcher; calling the native binary directly saves a Node start per compile.
const platformPackages: Record<string, string> = {
  "darwin arm64 LE": "@bufbuild/buf-darwin-arm64",
  "darwin x64 LE": "@bufbuild/buf-darwin-x64",
  "linux arm64 LE": "@bufbuild/buf-linux-aarch64",
  "linux arm LE": "@bufbuild/buf-linux-armv7",
  "linux x64 LE": "@bufbuild/buf-linux-x64",
  "win32 arm64 LE": "@bufbuild/buf-win32-arm64",
  "win32 x64 LE": "@bufbuild/buf-win32-x64",
};

let cached: string | undefined;

/** Absolute path of the `buf` executable shipped by `@bufbuild/buf` (the native one for this platform when installed). */
export function bufBinary(): string {
  if (cached) return cached;
  const pkg = platformPackages[`${process.platform} ${arch()} ${endianness()}`];
  const exe = process.platform === "win32" ? "bin/buf.exe" : "bin/buf";
  try {
    if (!pkg) throw new Error("no native package for this platform");
    cached = require.resolve(`${pkg}/${exe}`);
  } catch {
    // The launcher script finds (or downloads) the right binary itself; slower, but works everywhere.
    cached = require.resolve("@bufbuild/buf/bin/buf");
  }
  return cached;
}
