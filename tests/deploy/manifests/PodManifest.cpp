#include "PodManifest.h"

#include <stdexcept>

#include <yaml-cpp/yaml.h>

namespace pactmocks::deploytest {

std::optional<std::string> Container::envValue(const std::string& name) const {
  for (const auto& e : env)
    if (e.name == name) return e.value;
  return std::nullopt;
}

bool Container::hasEnv(const std::string& name) const {
  for (const auto& e : env)
    if (e.name == name) return true;
  return false;
}

int Container::port() const {
  if (ports.size() != 1) throw std::runtime_error("container " + name + " should declare exactly one port");
  return ports.begin()->second;
}

const Container& PodManifest::container(const std::string& name) const {
  for (const auto& c : containers)
    if (c.name == name) return c;
  throw std::runtime_error("deployment has no container named " + name);
}

const ServicePort& PodManifest::service(const std::string& name) const {
  for (const auto& s : services)
    if (s.service == name) return s;
  throw std::runtime_error("no Service named " + name);
}

namespace {

int resolvePort(const Container& c, const YAML::Node& port, const std::string& where) {
  if (!port) throw std::runtime_error(where + ": no port");
  try {
    return port.as<int>();
  } catch (const YAML::Exception&) {
  }
  auto name = port.as<std::string>();
  auto it = c.ports.find(name);
  if (it == c.ports.end()) throw std::runtime_error(where + ": named port " + name + " not in container " + c.name);
  return it->second;
}

Container readContainer(const YAML::Node& node) {
  Container c;
  c.name = node["name"].as<std::string>();
  if (node["command"])
    for (const auto& part : node["command"]) c.command.push_back(part.as<std::string>());
  if (node["ports"])
    for (const auto& p : node["ports"]) {
      auto number = p["containerPort"].as<int>();
      c.ports[p["name"] ? p["name"].as<std::string>() : std::to_string(number)] = number;
    }
  if (node["env"])
    for (const auto& e : node["env"]) {
      EnvVar var{e["name"].as<std::string>(), std::nullopt};
      if (e["value"]) var.value = e["value"].as<std::string>();
      c.env.push_back(var);
    }
  for (const char* kind : {"startupProbe", "readinessProbe", "livenessProbe"}) {
    const auto probe = node[kind];
    if (!probe) continue;
    const auto get = probe["httpGet"];
    if (!get) throw std::runtime_error("container " + c.name + ": " + kind + " is not an httpGet probe");
    c.probes.push_back({kind, get["path"].as<std::string>(""), resolvePort(c, get["port"], c.name + " " + kind)});
  }
  if (node["volumeMounts"])
    for (const auto& m : node["volumeMounts"]) {
      auto path = m["mountPath"].as<std::string>();
      c.mounts[path] = m["name"].as<std::string>();
      c.mountReadOnly[path] = m["readOnly"].as<bool>(false);
    }
  return c;
}

std::vector<YAML::Node> loadAll(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) throw std::runtime_error(file.string() + " not found");
  return YAML::LoadAllFromFile(file.string());
}

}  // namespace

PodManifest readPodManifest(const std::filesystem::path& dir) {
  PodManifest manifest;
  bool foundDeployment = false;
  for (const auto& doc : loadAll(dir / "deployment.yaml")) {
    if (doc["kind"].as<std::string>("") != "Deployment") continue;
    foundDeployment = true;
    const auto pod = doc["spec"]["template"]["spec"];
    for (const auto& c : pod["containers"]) manifest.containers.push_back(readContainer(c));
    if (pod["volumes"])
      for (const auto& v : pod["volumes"])
        if (v["configMap"]) manifest.configMapVolumes[v["name"].as<std::string>()] = v["configMap"]["name"].as<std::string>();
  }
  if (!foundDeployment) throw std::runtime_error((dir / "deployment.yaml").string() + " has no Deployment");

  for (const auto& doc : loadAll(dir / "services.yaml")) {
    if (doc["kind"].as<std::string>("") != "Service") continue;
    const auto name = doc["metadata"]["name"].as<std::string>();
    for (const auto& p : doc["spec"]["ports"]) {
      ServicePort sp;
      sp.service = name;
      sp.port = p["port"].as<int>();
      const auto target = p["targetPort"] ? p["targetPort"] : p["port"];
      // The container that owns the target port (named ports are unique in the pod).
      for (const auto& c : manifest.containers) {
        try {
          sp.targetPort = resolvePort(c, target, "Service " + name);
        } catch (const std::runtime_error&) {
          continue;
        }
        bool owns = false;
        for (const auto& [portName, number] : c.ports) owns = owns || number == sp.targetPort;
        if (owns) {
          sp.targetContainer = c.name;
          break;
        }
      }
      if (sp.targetContainer.empty())
        throw std::runtime_error("Service " + name + ": targetPort " + target.as<std::string>() + " is not a container port");
      manifest.services.push_back(sp);
    }
  }
  return manifest;
}

std::optional<int> urlPort(const std::string& url) {
  const auto scheme = url.find("://");
  const auto hostStart = scheme == std::string::npos ? 0 : scheme + 3;
  const auto pathStart = url.find('/', hostStart);
  const auto authority = url.substr(hostStart, pathStart == std::string::npos ? std::string::npos : pathStart - hostStart);
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  try {
    return std::stoi(authority.substr(colon + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace pactmocks::deploytest
