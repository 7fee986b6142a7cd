#!/usr/bin/env node
// A committed shim, so the `swp` bin exists before the first build (pnpm links bins at install).
import "../dist/cli/main.js";
