// Lints Dockerfiles with dockerfile-utils (every rule raised to an error), plus the project's rules
// that linter does not know: COPY --from names a defined stage, no :latest or untagged bases, a
// numeric non-root USER in the final stage, no HEALTHCHECK (Kubernetes probes do that), EXPOSE
// ports in range, and the binaries each image must ship.
// Usage: node lint-dockerfiles.mjs Dockerfile...   Exit 1 on any finding.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { validate, ValidationSeverity } from "dockerfile-utils";

const STRICT = Object.fromEntries(["deprecatedMaintainer", "directiveCasing", "emptyContinuationLine", "instructionCasing",
  "instructionCmdMultiple", "instructionEntrypointMultiple", "instructionHealthcheckMultiple",
  "instructionJSONInSingleQuotes", "instructionWorkdirRelative"].map((k) => [k, ValidationSeverity.ERROR]));
const REQUIRED_BINARIES = {
  "Dockerfile.manager": ["manager"],
  "Dockerfile.mockserver": ["aws-mock-server", "gcp-mock-server", "azure-mock-server", "mock-webhook"],
};

// Logical instructions: continuation lines joined, comments and blank lines dropped.
function instructions(text) {
  const out = [];
  let current = "";
  let line = 0;
  text.split("\n").forEach((raw, i) => {
    const l = raw.trimEnd();
    if (!current && (l.trim() === "" || l.trim().startsWith("#"))) return;
    if (current && l.trim().startsWith("#")) return;
    if (!current) line = i + 1;
    current += (current ? " " : "") + l.replace(/\\$/, "").trim();
    if (!l.endsWith("\\")) {
      const [keyword, ...rest] = current.split(/\s+/);
      out.push({ line, keyword: keyword.toUpperCase(), args: rest.join(" ") });
      current = "";
    }
  });
  return out;
}

let findings = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const report = (line, message) => {
    findings++;
    console.error(`${file}:${line}: ${message}`);
  };
  for (const d of validate(text, STRICT)) report(d.range.start.line + 1, `dockerfile-utils: ${d.message}`);

  const ins = instructions(text);
  const stages = [];
  let finalStage = null;
  for (const i of ins) {
    if (i.keyword === "FROM") {
      const m = i.args.match(/^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i);
      if (!m) { report(i.line, `cannot parse FROM ${i.args}`); continue; }
      const [, image, alias] = m;
      const isStage = stages.includes(image);
      if (!isStage && image !== "scratch") {
        const tag = image.includes("@") ? "digest" : (image.split("/").pop().split(":")[1] ?? "");
        if (!tag) report(i.line, `base image ${image} has no tag`);
        if (tag === "latest") report(i.line, `base image ${image} uses :latest`);
      }
      if (alias) stages.push(alias);
      finalStage = { user: null, line: i.line, copies: [] };
    } else if (i.keyword === "COPY" || i.keyword === "ADD") {
      const from = i.args.match(/--from=(\S+)/);
      if (from && !stages.includes(from[1]) && !/^\d+$/.test(from[1]) && !from[1].includes("/"))
        report(i.line, `COPY --from=${from[1]} names no earlier stage (${stages.join(", ")})`);
      finalStage?.copies.push(i.args);
    } else if (i.keyword === "USER") {
      if (finalStage) finalStage.user = { value: i.args, line: i.line };
    } else if (i.keyword === "HEALTHCHECK") {
      report(i.line, "HEALTHCHECK: Kubernetes probes check health; leave it out");
    } else if (i.keyword === "EXPOSE") {
      for (const p of i.args.split(/\s+/)) {
        const n = Number(p.split("/")[0]);
        if (!Number.isInteger(n) || n < 1 || n > 65535) report(i.line, `EXPOSE ${p} is not a port`);
      }
    }
  }
  if (!finalStage) { report(1, "no FROM"); continue; }
  const user = finalStage.user?.value.split(":")[0];
  if (!user) report(finalStage.line, "final stage has no USER (must run as non-root)");
  else if (!/^\d+$/.test(user) || Number(user) === 0)
    report(finalStage.user.line, `final stage USER ${finalStage.user.value} must be a numeric non-zero uid (runAsNonRoot can only verify numbers)`);
  for (const bin of REQUIRED_BINARIES[basename(file)] ?? [])
    if (!finalStage.copies.some((c) => c.includes(bin))) report(finalStage.line, `final stage does not copy the ${bin} binary`);
  console.log(`${findings ? "checked" : "ok  "} ${file}`);
}
console.log(`dockerfiles: ${findings} findings`);
process.exit(findings ? 1 : 0);
