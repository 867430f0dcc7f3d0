#pragma once
// The parts of deploy/k8s that must agree with the binaries: containers with their ports, env,
// probes and mounts, and the Services in front of them. Read with yaml-cpp from the raw manifests.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pactmocks::deploytest {

struct Probe {
  std::string kind;  // startupProbe, readinessProbe, livenessProbe
  std::string path;  // httpGet path
  int port = 0;      // resolved to a number (named ports looked up in the container)
};

struct EnvVar {
  std::string name;
  std::optional<std::string> value;  // nullopt for valueFrom (Secret, fieldRef, ...)
};

struct Container {
  std::string name;
  std::vector<std::string> command;
  std::map<std::string, int> ports;  // port name -> containerPort
  std::vector<EnvVar> env;
  std::vector<Probe> probes;
  std::map<std::string, std::string> mounts;  // mountPath -> volume name
  std::map<std::string, bool> mountReadOnly;  // mountPath -> readOnly

  std::optional<std::string> envValue(const std::string& name) const;
  bool hasEnv(const std::string& name) const;
  // The single containerPort (the test manifests give each container one port).
  int port() const;
};

struct ServicePort {
  std::string service;
  int port = 0;
  int targetPort = 0;  // resolved against the pod's containers
  std::string targetContainer;
};

struct PodManifest {
  std::vector<Container> containers;  // app containers (init containers excluded)
  std::map<std::string, std::string> configMapVolumes;  // volume name -> ConfigMap name
  std::vector<ServicePort> services;

  const Container& container(const std::string& name) const;  // throws std::runtime_error
  const ServicePort& service(const std::string& name) const;  // throws std::runtime_error
};

// Reads deployment.yaml and services.yaml of `dir` (deploy/k8s). Throws std::runtime_error with
// the file and what is missing.
PodManifest readPodManifest(const std::filesystem::path& dir);

// "http://localhost:9292" -> 9292 (nullopt when the URL has no explicit port).
std::optional<int> urlPort(const std::string& url);

}  // namespace pactmocks::deploytest
