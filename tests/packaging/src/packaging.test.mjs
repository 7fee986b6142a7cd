// What installing each package really costs a user: every public package is packed the way
// it is published (`pnpm pack` turns workspace:^ ranges into versions), then installed with npm
// into empty scratch projects, and the installed set is asserted. npm resolves @swp/* from the
// tarballs through `overrides` (they are not on the registry), everything else from the
// registry, exactly as for a user.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const repo = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const scratch = mkdtempSync(join(tmpdir(), "swp-packaging-"));
const tarballDir = join(scratch, "tarballs");
/** @type {Map<string, string>} package name -> tarball path */
const tarballs = new Map();

function run(command, args, cwd, extraEnv = {}) {
  return execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** pnpm itself: the one running this script when started by `pnpm test:packaging`. */
function pnpm(args, cwd) {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes("pnpm")) return run(process.execPath, [execPath, ...args], cwd);
  return run("npx", ["-y", "pnpm@10.34.8", ...args], cwd);
}

/**
 * Writes an npm project in `dir` that depends on `dependencies` (tarballs) and lets npm find
 * every other @swp package among the tarballs, then runs `npm install` there.
 */
function npmInstall(dir, dependencies) {
  const overrides = Object.fromEntries(
    [...tarballs]
      .filter(([pkg]) => !dependencies.includes(pkg))
      .map(([pkg, file]) => [pkg, `file:${file}`]),
  );
  const deps = Object.fromEntries(dependencies.map((pkg) => [pkg, `file:${tarballs.get(pkg)}`]));
  const name = dir.slice(dir.lastIndexOf("/") + 1);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, private: true, type: "module", dependencies: deps, overrides }, null, 2),
  );
  run("npm", ["install", "--loglevel=error"], dir);
}

/** Makes an empty npm project that depends on `dependencies`, installs it, returns its folder. */
function install(name, dependencies) {
  const dir = join(scratch, name);
  mkdirSync(dir);
  npmInstall(dir, dependencies);
  return dir;
}

/** Every package npm installed in `dir`, by name (nested copies included). */
function installedPackages(dir) {
  const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));
  const names = new Set();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "" || entry.link) continue;
    names.add(path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
  }
  return names;
}

before(() => {
  mkdirSync(tarballDir);
  pnpm(["run", "build"], repo);
  for (const folder of readdirSync(join(repo, "packages"))) {
    const dir = join(repo, "packages", folder);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (manifest.private) continue;
    const before = new Set(readdirSync(tarballDir));
    pnpm(["pack", "--pack-destination", tarballDir], dir);
    const file = readdirSync(tarballDir).find((f) => !before.has(f));
    assert.ok(file, `pnpm pack made no tarball for ${manifest.name}`);
    tarballs.set(manifest.name, join(tarballDir, file));
  }
});

after(() => rmSync(scratch, { recursive: true, force: true }));

describe("what each package installs", () => {
  test("every tarball carries dist, README and LICENSE, and no test or source file", () => {
    for (const [name, file] of tarballs) {
      const listing = run("tar", ["-tzf", file], scratch).split("\n").filter(Boolean);
      assert.ok(listing.includes("package/LICENSE"), `${name} ships no LICENSE`);
      assert.ok(listing.includes("package/README.md"), `${name} ships no README.md`);
      assert.ok(
        listing.some((f) => f.startsWith("package/dist/")),
        `${name} ships no dist/`,
      );
      const stray = listing.filter((f) => /\.test\.|test-support|\/src\//.test(f));
      assert.deepEqual(stray, [], `${name} ships test or source files`);
    }
  });

  // The portable packages install alone: @swp/ece, @swp/vapid and @swp/declarative carry the
  // shared vocabulary of @swp/subscription bundled in, and @swp/subscription needs nothing.
  for (const name of ["@swp/ece", "@swp/vapid", "@swp/declarative", "@swp/subscription"]) {
    test(`${name} alone is one package`, () => {
      const dir = install(`only-${name.slice("@swp/".length)}`, [name]);
      assert.deepEqual([...installedPackages(dir)], [name]);
    });
  }

  test("@swp/store brings no HTTP client, no WebSocket library and no sender", () => {
    const installed = installedPackages(install("custom-store-author", ["@swp/store"]));
    for (const unwanted of ["undici", "ws", "@swp/sender", "better-sqlite3", "kysely"]) {
      assert.ok(!installed.has(unwanted), `@swp/store installed ${unwanted}`);
    }
    assert.deepEqual([...installed].sort(), ["@swp/store", "@swp/subscription"]);
  });

  test("@swp/pusher with a custom store installs and builds no SQLite, and sends", () => {
    const dir = install("pusher-custom-store", ["@swp/pusher", "@swp/store", "@swp/testing"]);
    const installed = installedPackages(dir);
    assert.ok(!installed.has("better-sqlite3"), "better-sqlite3 was installed");
    assert.ok(!installed.has("@swp/store-sqlite"), "@swp/store-sqlite was installed");
    assert.ok(!installed.has("pg"), "pg was installed");
    writeFileSync(
      join(dir, "send.mjs"),
      `import { Pusher } from "@swp/pusher";
import { createMemoryStore } from "@swp/store";
import { startFakePushService } from "@swp/testing";

const service = await startFakePushService();
const pusher = new Pusher({
  store: createMemoryStore(),
  keyPath: process.argv[2] + "/private_key.pem",
  subject: "mailto:packaging@example.com",
  allowHosts: ["127.0.0.1"],
  ca: service.ca,
});
const subscription = await service.subscribe({ applicationServerKey: await pusher.getPublicKey() });
await pusher.newSubscription("session-1", subscription);
await pusher.notify("session-1", "hello from a packed install");
console.log(JSON.stringify(service.messages.map((m) => m.text)));
await pusher.close();
await service.close();
`,
    );
    const keysDir = mkdtempSync(join(scratch, "keys-"));
    const output = run(process.execPath, ["send.mjs", keysDir], dir);
    assert.deepEqual(JSON.parse(output.trim().split("\n").at(-1)), ["hello from a packed install"]);
  });

  test("@swp/pusher alone explains the install line; with it, the default SQLite store works", () => {
    const dir = install("pusher-default", ["@swp/pusher"]);
    const script = `import { Pusher } from "@swp/pusher";
const pusher = new Pusher({
  dbPath: process.argv[2] + "/subscriptors.db",
  keyPath: process.argv[2] + "/private_key.pem",
  subject: "mailto:packaging@example.com",
});
try {
  console.log("count", await pusher.countSubscriptions());
} catch (error) {
  console.log("error", error.code, error.message);
}
await pusher.close();
`;
    writeFileSync(join(dir, "count.mjs"), script);
    const dataDir = mkdtempSync(join(scratch, "data-"));
    const missing = run(process.execPath, ["count.mjs", dataDir], dir);
    assert.match(missing, /npm install @swp\/store-sqlite/);
    // What the README's line for the default store does: `npm install @swp/pusher
    // @swp/store-sqlite` (better-sqlite3 compiles from source on this machine).
    npmInstall(dir, ["@swp/pusher", "@swp/store-sqlite"]);
    const working = run(process.execPath, ["count.mjs", dataDir], dir);
    assert.match(working, /^count 0$/m);
  });
});
