// Pass C: what no schema covers. Cross-references inside one rendered set (selectors, named
// ports, probe ports, volumes, referenced ConfigMaps/Secrets/ServiceAccounts, RBAC, namespaces),
// the pod security policy of the base, and *_ENDPOINT URLs of a controller overlay that must reach
// a Service of the base.
// Usage: node check-references.mjs [--policy] BASE.yaml [--endpoints OVERLAY.yaml]   Exit 1 on failure.
import { loadDocuments, describe } from "./documents.mjs";

const args = process.argv.slice(2);
const policy = args.includes("--policy");
const endpointsAt = args.indexOf("--endpoints");
const endpointsFile = endpointsAt >= 0 ? args[endpointsAt + 1] : null;
const baseFiles = args.filter((a, i) => !a.startsWith("--") && (endpointsAt < 0 || i !== endpointsAt + 1));

const problems = [];
let checks = 0;
function check(condition, message) {
  checks++;
  if (!condition) problems.push(message);
}

const { docs, errors } = loadDocuments(baseFiles);
errors.forEach((e) => problems.push(e));
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass"]);
const byKind = (kind) => docs.filter((d) => d.obj.kind === kind);
const named = (kind, name) => byKind(kind).find((d) => d.obj.metadata?.name === name);

// One namespace for everything, and it is the Namespace object of the set when there is one.
const namespaces = new Set(docs.filter((d) => !CLUSTER_SCOPED.has(d.obj.kind)).map((d) => d.obj.metadata?.namespace));
check(namespaces.size === 1 && !namespaces.has(undefined), `objects must share one namespace, found: ${[...namespaces].join(", ")}`);
const namespace = [...namespaces][0];
for (const ns of byKind("Namespace")) check(ns.obj.metadata.name === namespace, `${describe(ns)} differs from the objects' namespace ${namespace}`);

// Unique kind/name.
const seen = new Set();
for (const d of docs) {
  const key = `${d.obj.kind}/${d.obj.metadata?.namespace}/${d.obj.metadata?.name}`;
  check(!seen.has(key), `duplicate object ${key}`);
  seen.add(key);
}

const WORKLOADS = ["Deployment", "StatefulSet", "DaemonSet", "Job"];
const workloads = docs.filter((d) => WORKLOADS.includes(d.obj.kind));

function portOf(container, port) {
  const ports = container.ports ?? [];
  return typeof port === "string" ? ports.find((p) => p.name === port) : ports.find((p) => p.containerPort === port);
}
const labelsMatch = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

for (const w of workloads) {
  const id = describe(w);
  const tpl = w.obj.spec.template;
  const pod = tpl.spec;
  const labels = tpl.metadata?.labels ?? {};
  const selector = w.obj.spec.selector?.matchLabels;
  check(selector && Object.keys(selector).length > 0, `${id}: empty selector`);
  check(labelsMatch(selector, labels), `${id}: selector ${JSON.stringify(selector)} does not match the pod labels ${JSON.stringify(labels)}`);

  const all = [...(pod.initContainers ?? []), ...pod.containers];
  const names = all.map((c) => c.name);
  check(new Set(names).size === names.length, `${id}: container names not unique: ${names.join(", ")}`);
  const portNames = all.flatMap((c) => (c.ports ?? []).map((p) => p.name).filter(Boolean));
  check(new Set(portNames).size === portNames.length, `${id}: port names not unique in the pod: ${portNames.join(", ")}`);
  const portNumbers = all.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
  check(new Set(portNumbers).size === portNumbers.length, `${id}: two containers claim the same port: ${portNumbers.join(", ")}`);

  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  // A StatefulSet's volumeClaimTemplates are volumes of its pods too.
  for (const claim of w.obj.spec.volumeClaimTemplates ?? []) volumes.set(claim.metadata?.name, { persistentVolumeClaim: claim });
  const mounted = new Set();
  for (const c of all) {
    const cid = `${id} container ${c.name}`;
    for (const m of c.volumeMounts ?? []) {
      check(volumes.has(m.name), `${cid}: volumeMount ${m.name} has no volume`);
      check(!m.subPath || !volumes.get(m.name)?.configMap, `${cid}: subPath mount of a ConfigMap never receives updates`);
      mounted.add(m.name);
    }
    const envNames = (c.env ?? []).map((e) => e.name);
    check(new Set(envNames).size === envNames.length, `${cid}: duplicate env variable names`);
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      if (cm && !cm.optional) check(named("ConfigMap", cm.name)?.obj.data?.[cm.key] !== undefined, `${cid}: env ${e.name} refers to missing ConfigMap key ${cm.name}/${cm.key}`);
      const sec = e.valueFrom?.secretKeyRef;
      if (sec && !sec.optional) {
        const s = named("Secret", sec.name)?.obj;
        check(s && (s.data?.[sec.key] ?? s.stringData?.[sec.key]) !== undefined, `${cid}: env ${e.name} refers to missing Secret key ${sec.name}/${sec.key}`);
      }
    }
    for (const probeName of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const probe = c[probeName];
      if (!probe) continue;
      const target = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
      if (!target) continue;
      check(portOf(c, target.port) !== undefined, `${cid}: ${probeName} port ${target.port} is not a port of this container`);
      if (probe.httpGet) check(typeof probe.httpGet.path === "string" && probe.httpGet.path.startsWith("/"), `${cid}: ${probeName} path must start with /`);
    }
    if (policy && !(pod.initContainers ?? []).includes(c)) {
      check(c.readinessProbe || c.livenessProbe, `${cid}: no probes`);
    }
    if (policy) {
      const sc = c.securityContext ?? {};
      const psc = pod.securityContext ?? {};
      check((sc.runAsNonRoot ?? psc.runAsNonRoot) === true, `${cid}: runAsNonRoot not set`);
      check(Number.isInteger(sc.runAsUser ?? psc.runAsUser) && (sc.runAsUser ?? psc.runAsUser) > 0, `${cid}: no numeric non-zero runAsUser (the kubelet cannot verify a named image user)`);
      check(sc.allowPrivilegeEscalation === false, `${cid}: allowPrivilegeEscalation must be false`);
      check(sc.readOnlyRootFilesystem === true, `${cid}: readOnlyRootFilesystem must be true`);
      check((sc.capabilities?.drop ?? []).includes("ALL"), `${cid}: capabilities must drop ALL`);
      check(sc.privileged !== true, `${cid}: privileged`);
      check((sc.seccompProfile ?? psc.seccompProfile)?.type === "RuntimeDefault", `${cid}: seccompProfile RuntimeDefault not set`);
      for (const kind of ["requests", "limits"])
        for (const r of ["cpu", "memory"]) check(c.resources?.[kind]?.[r] !== undefined, `${cid}: resources.${kind}.${r} missing`);
    }
  }
  for (const [name, v] of volumes) {
    check(mounted.has(name), `${id}: volume ${name} is never mounted`);
    if (v.configMap && !v.configMap.optional) check(named("ConfigMap", v.configMap.name), `${id}: volume ${name} needs ConfigMap ${v.configMap.name}`);
    if (v.configMap && v.configMap.optional && !named("ConfigMap", v.configMap.name)) console.log(`note ${id}: optional ConfigMap ${v.configMap.name} not in the set`);
    if (v.secret && !v.secret.optional) check(named("Secret", v.secret.secretName), `${id}: volume ${name} needs Secret ${v.secret.secretName}`);
  }
  const sa = pod.serviceAccountName;
  if (sa && sa !== "default") check(named("ServiceAccount", sa), `${id}: ServiceAccount ${sa} not in the set`);
  if (policy) {
    const saObj = sa ? named("ServiceAccount", sa)?.obj : undefined;
    const bound = byKind("RoleBinding").some((rb) => (rb.obj.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === (sa ?? "default")));
    if (!bound) check(pod.automountServiceAccountToken === false || saObj?.automountServiceAccountToken === false,
      `${id}: no RBAC is bound to its ServiceAccount, so it must not mount a token (automountServiceAccountToken: false)`);
  }
}

// RBAC references.
for (const rb of byKind("RoleBinding")) {
  check(named(rb.obj.roleRef.kind, rb.obj.roleRef.name), `${describe(rb)}: roleRef ${rb.obj.roleRef.kind}/${rb.obj.roleRef.name} not in the set`);
  for (const s of rb.obj.subjects ?? [])
    if (s.kind === "ServiceAccount") check(named("ServiceAccount", s.name), `${describe(rb)}: subject ServiceAccount ${s.name} not in the set`);
}

// Services select pods of the set and target ports those pods have.
for (const svc of byKind("Service")) {
  const id = describe(svc);
  const selector = svc.obj.spec.selector;
  const pods = workloads.filter((w) => labelsMatch(selector, w.obj.spec.template.metadata?.labels));
  check(selector && pods.length > 0, `${id}: selector ${JSON.stringify(selector)} matches no pod template`);
  for (const p of svc.obj.spec.ports ?? []) {
    const target = p.targetPort ?? p.port;
    const found = pods.some((w) => w.obj.spec.template.spec.containers.some((c) => portOf(c, target)));
    check(found, `${id}: targetPort ${target} (port ${p.port}) is not a container port of the selected pods`);
  }
}

// A controller overlay's *_ENDPOINT variables must name a Service of the set, in its namespace, on a port it serves.
if (endpointsFile) {
  const overlay = loadDocuments([endpointsFile]);
  overlay.errors.forEach((e) => problems.push(e));
  let endpoints = 0;
  for (const d of overlay.docs.filter((x) => WORKLOADS.includes(x.obj.kind)))
    for (const c of d.obj.spec.template.spec.containers)
      for (const e of (c.env ?? []).filter((x) => x.name.endsWith("_ENDPOINT"))) {
        endpoints++;
        const url = new URL(e.value);
        const [svcName, ns, svcWord] = url.hostname.split(".");
        const svc = named("Service", svcName);
        check(svcWord === "svc" && ns === namespace, `${describe(d)}: ${e.name}=${e.value} is not a cluster DNS name in namespace ${namespace}`);
        check(svc && (svc.obj.spec.ports ?? []).some((p) => String(p.port) === url.port), `${describe(d)}: ${e.name}=${e.value}: no Service ${svcName} with port ${url.port}`);
      }
  check(endpoints > 0, `${endpointsFile}: no *_ENDPOINT variables found`);
  const pactMode = overlay.docs.some((d) => WORKLOADS.includes(d.obj.kind) &&
    d.obj.spec.template.spec.containers.some((c) => (c.env ?? []).some((e) => e.name === "PACT_MODE" && e.value === "true")));
  check(pactMode, `${endpointsFile}: PACT_MODE=true not set`);
}

problems.forEach((p) => console.error(`FAIL ${p}`));
console.log(`references: ${checks - problems.length} passed, ${problems.length} failed`);
process.exit(problems.length ? 1 : 0);
