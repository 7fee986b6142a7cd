// Makes a child script runnable by another user (tests run as root start permission children
// as "nobody"), wherever this checkout lives. A clone inside a private folder (a home
// directory, mode 0700) is out of reach for that user, so the script and everything it
// imports — the BUILT @swp/store-sqlite and its runtime dependencies, better-sqlite3's
// native addon included — are copied to a temporary folder anyone can read.
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Needed to install better-sqlite3, never to run it. */
const INSTALL_ONLY = new Set(["prebuild-install"]);
/** Folders a package needs only to be built or developed, never at run time. */
const NOT_AT_RUN_TIME = new Set([
  "node_modules",
  "src",
  "deps",
  "docs",
  "test",
  "tests",
  "bench",
  ".turbo",
]);

/** Where `name` is found from `dir`, the way Node resolves a bare import. */
function resolvePackage(name: string, dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (basename(at) !== "node_modules") {
      const candidate = join(at, "node_modules", name);
      if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    }
    if (dirname(at) === at) throw new Error(`cannot resolve ${name} from ${dir}`);
  }
}

/** Copies a package's run-time files: no sources, no build folders but the native addon. */
function copyPackage(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (source) => {
      const path = relative(from, source);
      if (path === "") return true;
      const [top] = path.split(sep);
      if (NOT_AT_RUN_TIME.has(top!)) return false;
      if (top === "build") {
        // better-sqlite3: only build/Release/better_sqlite3.node is loaded.
        return (
          path === "build" ||
          path === join("build", "Release") ||
          (path.startsWith(join("build", "Release", "")) &&
            path.endsWith(".node") &&
            !path.includes("test_extension"))
        );
      }
      return true;
    },
  });
}

/** True when every folder on the way to `path` lets other users pass (the x bit for others). */
export function reachableByOthers(path: string): boolean {
  for (let at = path; ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (dirname(at) === at) return true;
  }
}

/** A fresh folder that other users can enter, under the system temp folder or /tmp. */
export function publicTempDir(prefix: string): string | undefined {
  for (const base of [tmpdir(), "/tmp", "/var/tmp"]) {
    if (!existsSync(base) || !reachableByOthers(base)) continue;
    const dir = mkdtempSync(join(base, prefix));
    chmodSync(dir, 0o755);
    return dir;
  }
  return undefined;
}

/**
 * Copies `scripts` (paths of .mjs files importing `@swp/store-sqlite`) with the built
 * package and its run-time dependencies into a new world-readable folder, and returns the
 * folder; run `node <folder>/<script name>`. Undefined when no temp folder other users can
 * reach exists on this machine (the caller skips, saying so).
 */
export function stageForOtherUser(scripts: string[]): string | undefined {
  const root = publicTempDir("swp-store-child-");
  if (root === undefined) return undefined;
  const packageRoot = fileURLToPath(new URL("../..", import.meta.url));
  const staged = new Set<string>();
  const stage = (name: string, from: string) => {
    if (staged.has(name)) return;
    staged.add(name);
    copyPackage(from, join(root, "node_modules", name));
    const manifest = JSON.parse(readFileSync(join(from, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (!INSTALL_ONLY.has(dependency)) stage(dependency, resolvePackage(dependency, from));
    }
  };
  stage("@swp/store-sqlite", packageRoot);
  for (const script of scripts) cpSync(script, join(root, basename(script)));
  // cpSync keeps the modes of the sources, which are readable by all in any sane checkout;
  // the folders it creates follow the umask. Make both explicit.
  chmodTree(root);
  return root;
}

function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chmodTree(path);
    else chmodSync(path, (statSync(path).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}
