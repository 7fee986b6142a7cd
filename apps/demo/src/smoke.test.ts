// What `pnpm demo` runs: the built entry point (dist/main.js, made by `pnpm build`), as a
// process, on a fresh data directory.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("starts from dist/main.js, prints its URL, serves the page, creates its data and stops on SIGINT", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "swp-demo-smoke-"));
  const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: "0", DEMO_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let output = "";
    child.stdout.setEncoding("utf8");
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        output += chunk;
        const match = /running at (http:\/\/localhost:\d+)\//.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`demo exited with ${code}: ${output}`)));
    });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Push Codelab</title>");
    expect((await readdir(dataDir)).sort()).toEqual(
      expect.arrayContaining(["private_key.pem", "public_key.pem", "subscriptors.db"]),
    );
    const exited = once(child, "exit");
    child.kill("SIGINT");
    expect((await exited)[0]).toBe(0);
  } finally {
    child.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
});

it("with --origin, prints the public URL to open and refuses pages of other origins", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "swp-demo-smoke-"));
  const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
  const child = spawn(process.execPath, [main, "--origin", "https://demo.example.net"], {
    env: { ...process.env, PORT: "0", DEMO_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let output = "";
    child.stdout.setEncoding("utf8");
    const local = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        output += chunk;
        const match =
          /running at https:\/\/demo\.example\.net\/ .*listening on (http:\/\/localhost:\d+)\)/.exec(
            output,
          );
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`demo exited with ${code}: ${output}`)));
    });
    const post = (origin: string) =>
      fetch(`${local}/api/unsubscribe`, { method: "POST", headers: { Origin: origin } });
    expect((await post("https://demo.example.net")).status).toBe(200);
    expect((await post(local)).status).toBe(403);
    const exited = once(child, "exit");
    child.kill("SIGINT");
    expect((await exited)[0]).toBe(0);
  } finally {
    child.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
});

it("stops with one line naming the setting that cannot be used", async () => {
  const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
  const child = spawn(process.execPath, [main, "--origin", "demo.example.net"], {
    env: { ...process.env, PORT: "0", DEMO_DATA_DIR: join(tmpdir(), "swp-demo-never-made") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    errors += chunk;
  });
  const [code] = await once(child, "exit");
  expect(code).toBe(2);
  expect(errors).toMatch(
    /^demo: --origin must be an origin such as https:\/\/demo\.example\.net, got "demo\.example\.net"\n$/,
  );
});
