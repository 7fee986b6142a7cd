import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { publicKeyFromPem, vapidKeysFromPem } from "../node.ts";
import { expectVapidError } from "../test-support/expect-vapid-error.ts";
import { openssl } from "../test-support/openssl.ts";
import {
  KEY_PERMISSIONS_WARNING,
  loadOrCreateKeyFile,
  PUBLIC_KEY_REWRITTEN_WARNING,
} from "./load-or-create-key-file.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** Records process.emitWarning calls (synchronously, and without printing them). */
function captureWarnings() {
  const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  // mockRestore() clears the recorded calls, so keep them first.
  let calls: unknown[][] = [];
  return {
    codes: () => calls.map((c) => (c[1] as { code?: string } | undefined)?.code),
    texts: () => calls.map((c) => String(c[0])),
    restore: () => {
      calls = spy.mock.calls.map((call) => [...call]);
      spy.mockRestore();
    },
  };
}
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "swp-vapid-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts a contender process; resolves `ready` when it waits for "go". */
function contender(path: string) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      fileURLToPath(new URL("./test-support/race-child.ts", import.meta.url)),
      path,
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    if (out.includes("ready\n")) onReady();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const done = new Promise<string>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) reject(new Error(`contender exited ${code}: ${err}`));
      else resolve((JSON.parse(line) as { publicKey: string }).publicKey);
    });
  });
  return { ready, go: () => child.stdin.write("go\n"), done };
}

describe("loadOrCreateKeyFile", () => {
  it("creates a SEC 1 key with mode 0600 and public_key.pem beside it, then reuses it", async () => {
    const path = join(dir, "private_key.pem");
    const keys = await loadOrCreateKeyFile(path);
    const info = await stat(path);
    expect(info.mode & 0o777).toBe(0o600);
    const pem = await readFile(path, "utf8");
    expect(pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(hex((await vapidKeysFromPem(pem)).publicKey)).toBe(hex(keys.publicKey));
    // openssl agrees on the public key, and wrote the same SPKI as we did.
    const publicPem = await readFile(join(dir, "public_key.pem"), "utf8");
    expect(publicPem).toBe(openssl(["ec", "-pubout"], pem));
    expect(hex(await publicKeyFromPem(publicPem))).toBe(hex(keys.publicKey));

    const again = await loadOrCreateKeyFile(path);
    expect(hex(again.privateKey)).toBe(hex(keys.privateKey));
    expect(await readFile(path, "utf8")).toBe(pem);
    expect((await readdir(dir)).sort()).toEqual(["private_key.pem", "public_key.pem"]);
  });

  it("creates missing directories and honours publicKeyPath", async () => {
    const path = join(dir, "a", "b", "vapid.pem");
    const publicKeyPath = join(dir, "pub", "vapid.pub.pem");
    await mkdir(join(dir, "pub"));
    const keys = await loadOrCreateKeyFile(path, { publicKeyPath });
    expect(hex(await publicKeyFromPem(await readFile(publicKeyPath, "utf8")))).toBe(
      hex(keys.publicKey),
    );
    expect(await readdir(join(dir, "a", "b"))).toEqual(["vapid.pem"]);
  });

  it("loads a key written by openssl (EC PARAMETERS + EC PRIVATE KEY, as py_vapid-era tools write)", async () => {
    const path = join(dir, "private_key.pem");
    const pem = openssl(["ecparam", "-genkey", "-name", "prime256v1"]);
    await writeFile(path, pem, { mode: 0o600 });
    const keys = await loadOrCreateKeyFile(path);
    expect(await readFile(path, "utf8")).toBe(pem); // untouched
    const expected = openssl(["ec", "-pubout"], pem);
    expect(await readFile(join(dir, "public_key.pem"), "utf8")).toBe(expected);
    expect(hex(keys.publicKey)).toBe(hex(await publicKeyFromPem(expected)));
  });

  it("gives concurrent calls in one process the same key (link loser reads the winner)", async () => {
    const path = join(dir, "private_key.pem");
    const all = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateKeyFile(path)));
    expect(new Set(all.map((k) => hex(k.publicKey))).size).toBe(1);
    expect(hex(all[0]!.publicKey)).toBe(
      hex((await vapidKeysFromPem(await readFile(path, "utf8"))).publicKey),
    );
    expect((await readdir(dir)).sort()).toEqual(["private_key.pem", "public_key.pem"]);
  });

  it("gives two processes racing to create the key file the same key", {
    timeout: 60_000,
  }, async () => {
    for (let round = 0; round < 3; round++) {
      const path = join(dir, `round-${round}`, "private_key.pem");
      const a = contender(path);
      const b = contender(path);
      await Promise.all([a.ready, b.ready]);
      a.go();
      b.go();
      const [keyA, keyB] = await Promise.all([a.done, b.done]);
      expect(keyA).toBe(keyB);
      const onDisk = await vapidKeysFromPem(await readFile(path, "utf8"));
      expect(Buffer.from(onDisk.publicKey).toString("base64url")).toBe(keyA);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await readdir(join(dir, `round-${round}`))).sort()).toEqual([
        "private_key.pem",
        "public_key.pem",
      ]);
    }
  });

  it("names the file when it is corrupt, unreadable or unwritable", async () => {
    const corrupt = join(dir, "private_key.pem");
    await writeFile(
      corrupt,
      "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
    );
    const pemError = await expectVapidError(
      () => loadOrCreateKeyFile(corrupt),
      "ERR_VAPID_PEM_INVALID",
    );
    expect(pemError.message).toContain(corrupt);
    expect(pemError.path).toBe(corrupt);

    const isDirectory = join(dir, "is-a-directory");
    await mkdir(isDirectory);
    const readError = await expectVapidError(
      () => loadOrCreateKeyFile(isDirectory),
      "ERR_VAPID_KEY_FILE",
      /EISDIR/,
    );
    expect(readError.message).toContain(isDirectory);

    // Root ignores permission bits, so make the directory impossible instead: under a file.
    const blocker = join(dir, "plain-file");
    await writeFile(blocker, "x");
    const unwritable = join(blocker, "private_key.pem");
    const writeError = await expectVapidError(
      () => loadOrCreateKeyFile(unwritable),
      "ERR_VAPID_KEY_FILE",
      /ENOTDIR|EEXIST/,
    );
    expect(writeError.path).toBe(unwritable);
    expect(writeError.message).toContain(unwritable);

    const publicKeyPath = join(blocker, "public_key.pem");
    const publicError = await expectVapidError(
      () => loadOrCreateKeyFile(join(dir, "ok", "private_key.pem"), { publicKeyPath }),
      "ERR_VAPID_KEY_FILE",
    );
    expect(publicError.message).toContain(publicKeyPath);
  });

  it("rewrites a stale public_key.pem from the private key, with a warning (Python original)", async () => {
    // The original regenerates private_key.pem and never reads public_key.pem, so a folder
    // it used can hold a public key of an older private key.
    const path = join(dir, "private_key.pem");
    const publicPath = join(dir, "public_key.pem");
    await writeFile(path, openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout"]), {
      mode: 0o600,
    });
    const stranger = openssl(
      ["ec", "-pubout"],
      openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout"]),
    );
    await writeFile(publicPath, stranger);
    const privateBefore = await readFile(path, "utf8");
    const warnings = captureWarnings();
    const keys = await loadOrCreateKeyFile(path);
    warnings.restore();

    expect(await readFile(path, "utf8")).toBe(privateBefore);
    expect(keys).toEqual(await vapidKeysFromPem(privateBefore));
    expect(await publicKeyFromPem(await readFile(publicPath, "utf8"))).toEqual(keys.publicKey);
    expect(warnings.codes()).toEqual([PUBLIC_KEY_REWRITTEN_WARNING]);
    expect(warnings.texts()[0]).toContain(publicPath);
    expect(warnings.texts()[0]).toContain("private key is the truth");
    // Now consistent: the next load neither rewrites nor warns.
    const again = captureWarnings();
    expect(await loadOrCreateKeyFile(path)).toEqual(keys);
    again.restore();
    expect(again.codes()).toEqual([]);
  });

  it("rewrites an unreadable public_key.pem too", async () => {
    const path = join(dir, "private_key.pem");
    const keys = await loadOrCreateKeyFile(path);
    await writeFile(join(dir, "public_key.pem"), "not a key\n");
    const warnings = captureWarnings();
    await loadOrCreateKeyFile(path);
    warnings.restore();
    expect(warnings.codes()).toEqual([PUBLIC_KEY_REWRITTEN_WARNING]);
    expect(await publicKeyFromPem(await readFile(join(dir, "public_key.pem"), "utf8"))).toEqual(
      keys.publicKey,
    );
  });

  it('with onStalePublicKey: "throw", refuses a stale public key file without touching it', async () => {
    const path = join(dir, "private_key.pem");
    await loadOrCreateKeyFile(path);
    const stranger = openssl(
      ["ec", "-pubout"],
      openssl(["ecparam", "-genkey", "-name", "prime256v1", "-noout"]),
    );
    await writeFile(join(dir, "public_key.pem"), stranger);
    const error = await expectVapidError(
      () => loadOrCreateKeyFile(path, { onStalePublicKey: "throw" }),
      "ERR_VAPID_KEY_MISMATCH",
      /delete it/,
    );
    expect(error.message).toContain(join(dir, "public_key.pem"));
    expect(await readFile(join(dir, "public_key.pem"), "utf8")).toBe(stranger);
    await expect(loadOrCreateKeyFile(path, { onStalePublicKey: "keep" as never })).rejects.toThrow(
      TypeError,
    );
  });

  it.each([
    ["0644", 0o644, "its group and others"],
    ["0640", 0o640, "its group"],
    ["0604", 0o604, "others"],
  ])(
    "warns once per file per process about a private key of mode %s, as ssh does",
    async (_octal, mode, who) => {
      const path = join(dir, "private_key.pem");
      const keys = await loadOrCreateKeyFile(path);
      await chmod(path, mode);
      const warnings = captureWarnings();
      expect(await loadOrCreateKeyFile(path)).toEqual(keys);
      await loadOrCreateKeyFile(path);
      await loadOrCreateKeyFile(join(dir, ".", "private_key.pem"));
      warnings.restore();
      expect(warnings.codes()).toEqual([KEY_PERMISSIONS_WARNING]);
      const [text = ""] = warnings.texts();
      expect(text).toContain(`open to ${who} (mode 0${mode.toString(8)})`);
      expect(text).toContain(`chmod 600 "${path}"`);
      const pem = await readFile(path, "utf8");
      expect(text).not.toContain(pem.split("\n")[1]!);
      expect(text).not.toContain(hex(keys.privateKey));
      expect(text).not.toContain(Buffer.from(keys.privateKey).toString("base64url"));
    },
  );

  it("does not warn about a private key of mode 0600 or 0400, nor about one it creates", async () => {
    const path = join(dir, "private_key.pem");
    const warnings = captureWarnings();
    await loadOrCreateKeyFile(path);
    await loadOrCreateKeyFile(path);
    await chmod(path, 0o400);
    await loadOrCreateKeyFile(path);
    warnings.restore();
    expect(warnings.codes()).toEqual([]);
  });

  it("never puts the private key in an error message", async () => {
    const path = join(dir, "private_key.pem");
    const keys = await loadOrCreateKeyFile(path);
    const pem = await readFile(path, "utf8");
    // Damage the key after the scalar so parsing fails late, with the secret in the input.
    await writeFile(path, pem.replace(/\n-----END/, "AAAA\n-----END"));
    const error = await expectVapidError(() => loadOrCreateKeyFile(path), "ERR_VAPID_PEM_INVALID");
    for (const form of [hex(keys.privateKey), Buffer.from(keys.privateKey).toString("base64url")]) {
      expect(error.message).not.toContain(form);
      expect(String(error.cause)).not.toContain(form);
    }
    expect(error.message).not.toContain(pem.split("\n")[1]!);
  });
});
