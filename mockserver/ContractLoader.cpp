#include "mockserver/ContractLoader.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/Sha256.h"
#include "http/Message.h"
#include "pact/PactParser.h"

namespace pactmocks::mockserver {
namespace fs = std::filesystem;

namespace {

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = std::move(buffer).str();
  return !in.bad();
}

std::string jsonString(const nlohmann::json& doc, const char* object) {
  auto it = doc.find(object);
  if (it == doc.end() || !it->is_object()) return {};
  auto name = it->find("name");
  return name != it->end() && name->is_string() ? name->get<std::string>() : std::string();
}

}  // namespace

std::vector<std::string> listPactFiles(const std::string& dir, std::string* error) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    if (error) *error = "cannot read directory " + dir + ": " + ec.message();
    return files;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (name.empty() || name.front() == '.') continue;  // ..data, ..2026_..., editor temp files
    if (name.size() < 6 || name.substr(name.size() - 5) != ".json") continue;
    std::error_code statError;
    if (!fs::is_regular_file(it->path(), statError)) continue;  // follows symlinks
    files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string directoryFingerprint(const std::string& dir) {
  std::string material;
  for (const auto& file : listPactFiles(dir)) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) continue;
    material += file;
    material += '|' + std::to_string(st.st_size) + '|' + std::to_string(st.st_ino) + '|' +
                std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec) + '\n';
  }
  return material.empty() ? std::string("empty") : sha256Hex(material);
}

std::optional<pact::Pact> acceptPact(std::string_view text, const std::string& source, const ContractFilter& filter,
                                     std::vector<std::string>& problems, bool reportOtherProviders) {
  auto names = pact::readPactNames(text);
  if (!names) {
    problems.push_back(source + ": not a JSON object");
    return std::nullopt;
  }
  const std::string provider = names->provider;
  const std::string consumer = names->consumer;
  if (!http::iequals(provider, filter.provider)) {
    if (reportOtherProviders)
      problems.push_back(source + ": pact is for provider \"" + provider + "\", not \"" + filter.provider + "\"");
    return std::nullopt;
  }
  if (filter.consumer && !http::iequals(consumer, *filter.consumer)) return std::nullopt;
  try {
    return pact::parsePact(text, source);
  } catch (const std::exception& e) {
    problems.push_back(e.what());
    return std::nullopt;
  }
}

LoadResult loadPactsFromDirectory(const std::string& dir, const ContractFilter& filter) {
  LoadResult result;
  std::string listError;
  auto files = listPactFiles(dir, &listError);
  if (!listError.empty()) {
    result.error = listError;
    return result;
  }
  for (const auto& file : files) {
    std::string text;
    if (!readFile(file, text)) {
      result.problems.push_back(file + ": cannot be read");
      continue;
    }
    if (auto pact = acceptPact(text, fs::path(file).filename().string(), filter, result.problems, false))
      result.pacts.push_back(std::move(*pact));
  }
  if (result.pacts.empty())
    result.error = "no usable pact for provider \"" + filter.provider + "\" in " + dir;
  return result;
}

LoadResult loadPactsFromBroker(broker::BrokerClient& client, const ContractFilter& filter) {
  LoadResult result;
  auto fetchOne = [&](const std::string& source, const http::ClientResult& response) {
    if (!response.ok()) {
      result.problems.push_back(source + ": " +
                                (response.response ? "HTTP " + std::to_string(response.status()) : response.error));
      return;
    }
    if (auto pact = acceptPact(response.response->body, source, filter, result.problems, true))
      result.pacts.push_back(std::move(*pact));
  };
  if (filter.consumer) {
    fetchOne("broker latest pact " + *filter.consumer + " → " + filter.provider,
             client.latestPact(filter.provider, *filter.consumer));
  } else {
    std::string error;
    auto refs = client.latestPactsForProvider(filter.provider, &error);
    if (!refs) {
      result.error = "listing pacts for provider \"" + filter.provider + "\" failed: " + error;
      return result;
    }
    for (const auto& ref : *refs) fetchOne(ref.href, client.fetch(ref.href));
  }
  if (result.pacts.empty()) {
    result.error = "the broker has no usable pact for provider \"" + filter.provider + "\"";
    for (const auto& p : result.problems) result.error += "; " + p;
  }
  return result;
}

}  // namespace pactmocks::mockserver
