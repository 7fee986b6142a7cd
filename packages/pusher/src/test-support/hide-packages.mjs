// Loaded with `node --import <this file>` by tests: makes the packages named in
// SWP_TEST_HIDE (comma-separated) unresolvable, exactly as when they are not installed, and
// appends every attempt to import one to the file SWP_TEST_HIDE_LOG. The tests prove with it
// that an optional peer is loaded only when needed, and what the user sees when it is missing.
import { register } from "node:module";

register("./hide-packages-hooks.mjs", import.meta.url, {
  data: {
    hidden: (process.env.SWP_TEST_HIDE ?? "").split(",").filter(Boolean),
    log: process.env.SWP_TEST_HIDE_LOG,
  },
});
