// Pass A: JSON-schema validation of every object against the Kubernetes OpenAPI (kubernetes-models'
// ajv validators): types, enums, required fields, integer ranges.
// Usage: node validate-schema.mjs FILE.yaml...   Exit 1 on any failure.
import { loadDocuments, describe } from "./documents.mjs";

const GROUP_VERSIONS = ["v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1",
  "policy/v1", "autoscaling/v2", "storage.k8s.io/v1", "scheduling.k8s.io/v1", "coordination.k8s.io/v1",
  "discovery.k8s.io/v1"];

const byGroupVersionKind = new Map();
for (const gv of GROUP_VERSIONS) {
  const mod = await import(`kubernetes-models/${gv}`);
  for (const cls of Object.values(mod))
    if (typeof cls === "function" && cls.apiVersion && cls.kind) byGroupVersionKind.set(`${cls.apiVersion}/${cls.kind}`, cls);
}

const { docs, errors } = loadDocuments(process.argv.slice(2));
let ok = 0;
let bad = errors.length;
errors.forEach((e) => console.error(e));
for (const d of docs) {
  const cls = byGroupVersionKind.get(`${d.obj.apiVersion}/${d.obj.kind}`);
  if (!cls) {
    bad++;
    console.error(`FAIL ${describe(d)}: unknown apiVersion/kind ${d.obj.apiVersion} ${d.obj.kind}`);
    continue;
  }
  // kustomize folds long base64 values of Secret/ConfigMap binary data over several lines; the API
  // server's base64 decoding skips the line breaks, the schema's "byte" format does not.
  for (const field of ["data", "binaryData"]) {
    const values = (d.obj.kind === "Secret" && field === "data") || (d.obj.kind === "ConfigMap" && field === "binaryData")
      ? d.obj[field] : null;
    for (const [key, value] of Object.entries(values ?? {}))
      if (typeof value === "string") values[key] = value.replace(/\s+/g, "");
  }
  try {
    new cls(d.obj).validate();
    ok++;
    console.log(`ok   ${describe(d)}`);
  } catch (e) {
    bad++;
    console.error(`FAIL ${describe(d)}\n${e.message}`);
  }
}
console.log(`schema: ${ok} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
