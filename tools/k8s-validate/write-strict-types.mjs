// Pass B, step 1: writes .k8s-strict/manifests.ts typing every object with kubernetes-models'
// interfaces, so `tsc` reports unknown or misspelled fields at any depth (the OpenAPI schema of
// Pass A allows extra properties). Usage: node write-strict-types.mjs FILE.yaml...
import { writeFileSync, mkdirSync } from "node:fs";
import { loadDocuments, describe } from "./documents.mjs";

const SUPPORTED = new Set(["v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1",
  "policy/v1", "autoscaling/v2"]);
const { docs, errors } = loadDocuments(process.argv.slice(2));
if (errors.length) {
  errors.forEach((e) => console.error(e));
  process.exit(1);
}
let out = "";
docs.forEach((d, i) => {
  if (!SUPPORTED.has(d.obj.apiVersion)) {
    console.error(`${describe(d)}: apiVersion ${d.obj.apiVersion} not supported by the strict pass`);
    process.exit(1);
  }
  out += `// ${describe(d)}\n`;
  out += `import type { I${d.obj.kind} as T${i} } from "kubernetes-models/${d.obj.apiVersion}/${d.obj.kind}";\n`;
  out += `export const d${i}: T${i} = ${JSON.stringify(d.obj, null, 1)};\n`;
});
mkdirSync(".k8s-strict", { recursive: true });
writeFileSync(".k8s-strict/manifests.ts", out);
console.log(`strict: typed ${docs.length} objects into .k8s-strict/manifests.ts`);
