import { bindEceApi } from "./lib/bind-api.ts";
import { nodePrimitives } from "./lib/primitives-node.ts";

// The "node" export condition's implementation: the same shared logic as the portable entry
// (./webcrypto-api.ts), bound to node:crypto's synchronous primitives for speed. Its public
// types and docs are the portable entry's (package.json maps both conditions to
// dist/index.d.ts), so they are not repeated here.
export const { encrypt, decrypt, encryptContent, decryptContent, generateSubscriptionKeys } =
  /* @__PURE__ */ bindEceApi(nodePrimitives);
