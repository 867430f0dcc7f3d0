#include "pactdir/PactDirectory.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/Sha256.h"

namespace pactmocks::pactdir {

namespace fs = std::filesystem;

namespace {

// A swap during every one of these attempts means the kubelet rewrites the volume faster than it
// can be read; the last attempt is returned as it is.
constexpr int kReadAttempts = 5;

bool isPactFileName(const std::string& name) {
  return name.size() > 5 && name.front() != '.' && name.compare(name.size() - 5, 5, ".json") == 0;
}

// The `..data` target (e.g. "..2026_11_25_21_00_00.1"), empty for a plain directory.
std::string currentGeneration(const fs::path& dir) {
  std::error_code ec;
  auto target = fs::read_symlink(dir / "..data", ec);
  return ec ? std::string() : target.string();
}

fs::path generationPath(const fs::path& dir, const std::string& generation) {
  return generation.empty() ? dir : dir / generation;
}

Result<std::vector<std::string>> pactFileNames(const fs::path& source) {
  std::error_code ec;
  fs::directory_iterator it(source, ec);
  if (ec) return fail("cannot read directory " + source.string() + ": " + ec.message());
  std::vector<std::string> names;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return fail("cannot read directory " + source.string() + ": " + ec.message());
    std::string name = it->path().filename().string();
    if (!isPactFileName(name)) continue;
    std::error_code statEc;
    if (!fs::is_regular_file(it->path(), statEc)) continue;  // follows symlinks (plain dirs with links)
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

OpenedPacts openGeneration(const fs::path& dir, const std::string& generation) {
  OpenedPacts opened;
  opened.directoryExists = true;
  opened.generation = generation;
  const fs::path source = generationPath(dir, generation);
  auto names = pactFileNames(source);
  if (!names) {
    opened.unreadable.push_back({source.string(), names.error()});
    return opened;
  }
  for (const auto& name : *names) {
    const std::string path = (source / name).string();
    auto text = TextSource::openFile(path);
    if (text)
      opened.files.push_back({name, path, std::move(*text)});
    else
      opened.unreadable.push_back({name, "cannot read: " + text.error()});
  }
  return opened;
}

}  // namespace

OpenedPacts PactDirectory::open() const {
  const fs::path dir(path_);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return {};
  OpenedPacts opened;
  opened.directoryExists = true;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    const std::string generation = currentGeneration(dir);
    if (!generation.empty() && !fs::is_directory(dir / generation, ec)) continue;  // swapped and removed meanwhile
    opened = openGeneration(dir, generation);
    // A file of the generation that could not be opened most likely went away with it: retry too.
    if (currentGeneration(dir) == generation && (generation.empty() || opened.unreadable.empty())) return opened;
  }
  return opened;
}

PactSnapshot PactDirectory::read() const {
  OpenedPacts opened = open();
  PactSnapshot snap{opened.directoryExists, std::move(opened.generation), {}, std::move(opened.unreadable)};
  for (auto& file : opened.files) {
    auto content = file.text.readAll();
    if (content)
      snap.files.push_back({std::move(file.name), std::move(file.path), std::move(*content)});
    else
      snap.unreadable.push_back({std::move(file.name), "cannot read: " + content.error()});
  }
  std::sort(snap.unreadable.begin(), snap.unreadable.end(),
            [](const FileProblem& a, const FileProblem& b) { return a.file < b.file; });
  return snap;
}

Result<std::vector<std::string>> PactDirectory::list() const {
  const fs::path dir(path_);
  return pactFileNames(generationPath(dir, currentGeneration(dir)));
}

std::string PactDirectory::fingerprint() const {
  const fs::path dir(path_);
  const std::string generation = currentGeneration(dir);
  const fs::path source = generationPath(dir, generation);
  std::string material;
  for (const auto& name : pactFileNames(source).value_or(std::vector<std::string>{})) {
    struct stat st {};
    if (::stat((source / name).c_str(), &st) != 0) continue;
    material += name + '|' + std::to_string(st.st_size) + '|' + std::to_string(st.st_ino) + '|' +
                std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec) + '\n';
  }
  return material.empty() ? std::string("empty") : sha256Hex(generation + '\n' + material);
}

namespace {

Result<std::string> participantName(const nlohmann::json& document, const char* role) {
  auto it = document.find(role);
  if (it == document.end() || !it->is_object()) return fail(std::string("missing \"") + role + "\" object");
  auto name = it->find("name");
  if (name == it->end() || !name->is_string() || name->get_ref<const std::string&>().empty())
    return fail(std::string("missing or empty \"") + role + ".name\"");
  return name->get<std::string>();
}

}  // namespace

Result<PactParticipants> pactParticipants(const TextSource& text) {
  using Event = nlohmann::json::parse_event_t;
  auto skipInteractions = [](int depth, Event event, nlohmann::json& parsed) {
    return !(event == Event::key && depth == 1 && (parsed == "interactions" || parsed == "messages"));
  };
  TextReader reader(text);
  nlohmann::json header = nlohmann::json::parse(reader.begin(), reader.end(), skipInteractions, false);
  if (!reader.error().empty()) return fail("cannot read: " + reader.error());
  if (header.is_discarded()) return fail("not a JSON object");
  return pactParticipants(header);
}

Result<PactParticipants> pactParticipants(std::string_view text) { return pactParticipants(TextSource::inMemory(text)); }

Result<PactParticipants> pactParticipants(const nlohmann::json& document) {
  if (!document.is_object()) return fail("not a JSON object");
  auto consumer = participantName(document, "consumer");
  if (!consumer) return fail(consumer.error());
  auto provider = participantName(document, "provider");
  if (!provider) return fail(provider.error());
  return PactParticipants{std::move(*consumer), std::move(*provider)};
}

}  // namespace pactmocks::pactdir
