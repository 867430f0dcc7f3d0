// Reads every YAML document of the given files, remembering where each came from.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// Returns { docs: [{ file, obj }], errors: [message] }. Kustomization files are skipped: they are
// kustomize input, validated by rendering them.
export function loadDocuments(files) {
  const docs = [];
  const errors = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"), { uniqueKeys: true })) {
      if (doc.errors.length) {
        errors.push(`${file}: YAML error: ${doc.errors[0].message}`);
        continue;
      }
      const obj = doc.toJS();
      if (obj == null) continue;
      if (obj.kind === "Kustomization" || obj.kind === "Component") continue;
      docs.push({ file, obj });
    }
  }
  return { docs, errors };
}

export function describe({ file, obj }) {
  return `${file}: ${obj.kind}/${obj.metadata?.name}`;
}
