#include <unistd.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "TestProcess.h"
#include "core/TextSource.h"

using pactmocks::TextReader;
using pactmocks::TextSource;
using namespace pactmocks::testsupport;

namespace {
// Bytes that differ at every position within a chunk, so that a misplaced chunk shows.
std::string patterned(std::size_t size) {
  std::string text(size, ' ');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('!' + (i * 7 + i / 251) % 90);
  return text;
}

std::string readByCharacters(const TextSource& source) {
  TextReader reader(source);
  std::string out;
  for (auto it = reader.begin(); it != reader.end(); ++it) out += *it;
  return out;
}
}  // namespace

TEST_CASE("A file is read by chunks, by characters or whole, as it is", "[textsource]") {
  TempDir dir;
  const std::size_t chunk = TextReader::kChunkSize;
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, chunk - 1, chunk, chunk + 1, 3 * chunk + 17}) {
    const std::string text = patterned(size);
    writeFile(dir / "f.json", text);
    auto source = TextSource::openFile(dir / "f.json");
    REQUIRE(source);
    CHECK(source->size() == size);
    CHECK(readByCharacters(*source) == text);
    CHECK(source->readAll().value() == text);
    TextReader reader(*source);
    std::string joined;
    std::size_t chunks = 0;
    for (auto piece = reader.next(); !piece.empty(); piece = reader.next(), ++chunks) {
      CHECK(piece.size() <= chunk);
      joined += piece;
    }
    CHECK(joined == text);
    CHECK(chunks == (size + chunk - 1) / chunk);
    CHECK(reader.error().empty());
    CHECK_FALSE(source->changedSinceOpen());
  }
}

TEST_CASE("A capture spans chunks and starts at the last character read", "[textsource]") {
  TempDir dir;
  const std::size_t chunk = TextReader::kChunkSize;
  const std::string text = patterned(3 * chunk);
  writeFile(dir / "f.json", text);
  auto file = TextSource::openFile(dir / "f.json");
  REQUIRE(file);
  const auto memory = TextSource::inMemory(text);
  // [from, to): within a chunk, at a chunk's last and first character, across two boundaries.
  for (auto [from, to] : {std::pair<std::size_t, std::size_t>{10, 20}, {chunk - 1, chunk + 5}, {chunk, chunk + 1},
                          {5, 2 * chunk + 9}, {0, 3 * chunk}}) {
    for (const TextSource* source : {static_cast<const TextSource*>(&*file), &memory}) {
      TextReader reader(*source);
      auto it = reader.begin();
      for (std::size_t i = 0; i <= from; ++i, ++it) REQUIRE(it != reader.end());  // reads text[from]
      reader.startCapture();
      for (std::size_t i = from + 1; i < to; ++i, ++it) REQUIRE(it != reader.end());
      CHECK(reader.takeCapture() == std::string_view(text).substr(from, to - from));
    }
  }
}

TEST_CASE("Opening fails clearly; a file rewritten after it was opened is seen as changed", "[textsource]") {
  TempDir dir;
  auto missing = TextSource::openFile(dir / "missing.json");
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == "No such file or directory");
  auto directory = TextSource::openFile(dir.path());
  REQUIRE_FALSE(directory);
  CHECK(directory.error() == "not a regular file");

  writeFile(dir / "f.json", "first");
  auto source = TextSource::openFile(dir / "f.json");
  REQUIRE(source);
  CHECK_FALSE(source->changedSinceOpen());
  writeFile(dir / "f.json", "second, longer");  // truncated and written in place
  CHECK(source->changedSinceOpen());
  CHECK_FALSE(TextSource::inMemory("x").changedSinceOpen());
}

TEST_CASE("An open file keeps what it was opened on after it is replaced and removed", "[textsource]") {
  TempDir dir;
  writeFile(dir / "f.json", "generation 1");
  auto source = TextSource::openFile(dir / "f.json");
  REQUIRE(source);
  writeFile(dir / "g.json", "generation 2");
  std::filesystem::rename(dir / "g.json", dir / "f.json");
  CHECK(source->readAll().value() == "generation 1");
  CHECK_FALSE(source->changedSinceOpen());
  auto moved = std::move(*source);  // the descriptor moves along
  CHECK(moved.readAll().value() == "generation 1");
}
