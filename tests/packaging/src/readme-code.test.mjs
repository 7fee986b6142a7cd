// Every TypeScript and JavaScript block in the READMEs and docs compiles against the built
// packages, with the libraries a browser-and-Node user has (`lib: ["es2023", "dom"]`), the way
// a user pasting it into their project would see it. Placeholders a snippet leaves to the
// reader (the browser's subscription, a session id, …) are declared once in PLACEHOLDERS;
// what only one block leaves to the reader is declared in an HTML comment right above its
// fence, invisible on the rendered page:
//
//   <!-- typecheck-prelude: import type { Kysely } from "kysely"; declare const db: Kysely<any>; -->
//
// A block that is not Node-or-browser page code (a service worker, say) says why it is left
// out: `<!-- typecheck: skip — service worker code (lib webworker) -->`.
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const repo = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const require = createRequire(join(repo, "package.json"));
const ts = require("typescript");

/** What snippets use without defining: the things only the reader's app has. */
const PLACEHOLDERS = `
declare global {
  /** The subscription a browser sent (PushSubscription.toJSON()). */
  const subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  const subscriptionFromTheBrowser: typeof subscription;
  /** The body of the HTTP request that carried the subscription, as text. */
  const requestBodyText: string;
  const sessionId: string;
  const payload: string;
  /** Runs a promise without awaiting it (the reader's own fire-and-forget helper). */
  function forget(promise: Promise<unknown>): void;
}
export {};
`;

const LANGUAGES = new Map([
  ["ts", ".ts"],
  ["typescript", ".ts"],
  ["js", ".mjs"],
  ["javascript", ".mjs"],
  ["mjs", ".mjs"],
]);

function markdownFiles() {
  const files = [join(repo, "README.md")];
  for (const folder of ["packages", "apps", "tests"]) {
    for (const name of readdirSync(join(repo, folder))) {
      const readme = join(repo, folder, name, "README.md");
      if (existsSync(readme)) files.push(readme);
    }
  }
  for (const name of readdirSync(join(repo, "docs"))) {
    if (name.endsWith(".md")) files.push(join(repo, "docs", name));
  }
  return files;
}

const PRELUDE = /^\s*<!--\s*typecheck-prelude:(.*)-->\s*$/;
const SKIP = /^\s*<!--\s*typecheck:\s*skip\s*\S+\s*\S.*-->\s*$/;

/**
 * The fenced blocks of one Markdown file: language, code, the line the fence opens on and the
 * prelude from the line above it, if any. Blocks whose line above says `typecheck: skip — why`
 * are left out.
 */
function codeBlocks(text) {
  const blocks = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```(\w+)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && /^\s*```\s*$/.test(line));
    if (end === -1) break;
    const above = i > 0 ? lines[i - 1] : "";
    if (LANGUAGES.has(open[1]) && !SKIP.test(above)) {
      blocks.push({
        extension: LANGUAGES.get(open[1]),
        code: lines.slice(i + 1, end).join("\n"),
        line: i + 1,
        prelude: PRELUDE.exec(above)?.[1].trim() ?? "",
      });
    }
    i = end;
  }
  return blocks;
}

const scratch = mkdtempSync(join(tmpdir(), "swp-readme-code-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** node_modules for the snippets: every @swp package, and the third-party modules they name. */
function linkModules() {
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ type: "module" }));
  const modules = join(scratch, "node_modules");
  mkdirSync(join(modules, "@swp"), { recursive: true });
  mkdirSync(join(modules, "@types"), { recursive: true });
  for (const name of readdirSync(join(repo, "packages"))) {
    const manifest = JSON.parse(readFileSync(join(repo, "packages", name, "package.json"), "utf8"));
    symlinkSync(join(repo, "packages", name), join(modules, manifest.name));
  }
  const thirdParty = [
    "better-sqlite3",
    "@types/better-sqlite3",
    "kysely",
    "pg",
    "@types/pg",
    "pg-boss",
    "@types/node",
    "vitest",
  ];
  for (const name of thirdParty) {
    const found = [
      repo,
      ...readdirSync(join(repo, "packages")).map((p) => join(repo, "packages", p)),
    ]
      .map((dir) => join(dir, "node_modules", name))
      .find((dir) => existsSync(join(dir, "package.json")));
    if (found) symlinkSync(found, join(modules, name));
  }
}

test("the code blocks of every README and doc compile with lib es2023 + dom", () => {
  linkModules();
  const sources = [join(scratch, "placeholders.d.ts")];
  writeFileSync(sources[0], PLACEHOLDERS);
  /** @type {Map<string, string>} scratch file -> "README path:line" */
  const origin = new Map();
  for (const file of markdownFiles()) {
    const where = relative(repo, file);
    const folder = join(scratch, "blocks", dirname(where));
    mkdirSync(folder, { recursive: true });
    for (const block of codeBlocks(readFileSync(file, "utf8"))) {
      const name = join(folder, `${basename(where, ".md")}-line-${block.line}${block.extension}`);
      // Each block is its own module, so top-level await and re-used names are fine. The
      // prelude takes the first line, which maps back to the comment above the fence.
      writeFileSync(name, `${block.prelude}\n${block.code}\nexport {};\n`);
      sources.push(name);
      origin.set(name, `${where}:${block.line}`);
    }
  }
  assert.ok(origin.size >= 10, `found only ${origin.size} code blocks`);

  const program = ts.createProgram(sources, {
    target: ts.ScriptTarget.ES2023,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ["node"],
    typeRoots: [join(scratch, "node_modules", "@types")],
    strict: true,
    allowJs: true,
    checkJs: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter(
      (d) =>
        d.file === undefined ||
        origin.has(d.file.fileName) ||
        d.file.fileName.endsWith("placeholders.d.ts"),
    )
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file) return message;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      const [readme, fence] = origin.get(d.file.fileName)?.split(":") ?? [d.file.fileName, "0"];
      return `${readme}:${Number(fence) + (line === 0 ? -1 : line)}: ${message}`;
    });
  assert.deepEqual(problems, [], `README code that does not compile:\n${problems.join("\n")}`);
});
