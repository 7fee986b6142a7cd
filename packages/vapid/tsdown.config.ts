import { bundledPackage } from "../../tsdown.shared.ts";

export default bundledPackage({
  index: "src/index.ts",
  "node-entry": "src/node.ts",
  "node/index": "src/node/index.ts",
});
