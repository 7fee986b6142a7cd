import { bundledPackage } from "../../tsdown.shared.ts";

export default bundledPackage({ index: "src/index.ts" });
