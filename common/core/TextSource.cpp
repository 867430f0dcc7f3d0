#include "core/TextSource.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace pactmocks {

namespace {

std::int64_t nanoseconds(const timespec& t) { return std::int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }

}  // namespace

TextSource TextSource::inMemory(std::string_view text) { return TextSource(text, -1, Stamp{text.size(), 0}); }

Result<TextSource> TextSource::openFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(std::string(std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string error = std::strerror(errno);
    ::close(fd);
    return fail(std::move(error));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail("not a regular file");
  }
  return TextSource({}, fd, Stamp{static_cast<std::uint64_t>(st.st_size), nanoseconds(st.st_mtim)});
}

TextSource::TextSource(TextSource&& other) noexcept
    : memory_(other.memory_), fd_(std::exchange(other.fd_, -1)), stamp_(other.stamp_) {}

TextSource& TextSource::operator=(TextSource&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    memory_ = other.memory_;
    fd_ = std::exchange(other.fd_, -1);
    stamp_ = other.stamp_;
  }
  return *this;
}

TextSource::~TextSource() {
  if (fd_ >= 0) ::close(fd_);
}

bool TextSource::changedSinceOpen() const {
  if (fd_ < 0) return false;
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return true;
  return !(Stamp{static_cast<std::uint64_t>(st.st_size), nanoseconds(st.st_mtim)} == stamp_);
}

Result<std::string> TextSource::readAll() const {
  if (fd_ < 0) return std::string(memory_);
  std::string text;
  text.reserve(static_cast<std::size_t>(stamp_.size));  // sized once: doubling would copy
  TextReader reader(*this);
  for (auto chunk = reader.next(); !chunk.empty(); chunk = reader.next()) text += chunk;
  if (!reader.error().empty()) return fail(reader.error());
  return text;
}

std::string_view TextReader::next() {
  if (at_ >= chunk_.size() && !refill()) return {};
  const auto rest = chunk_.substr(at_);
  at_ = chunk_.size();
  return rest;
}

bool TextReader::refill() {
  if (capturing_) {
    spilled_.append(chunk_.substr(captureFrom_));
    captureFrom_ = 0;
  }
  if (source_.fd_ < 0) {  // the whole text is one chunk
    if (started_) return false;
    started_ = true;
    chunk_ = source_.memory_;
    at_ = 0;
    return !chunk_.empty();
  }
  started_ = true;
  if (!error_.empty()) return false;
  buffer_.resize(kChunkSize);
  ssize_t got = 0;
  do {
    got = ::pread(source_.fd_, buffer_.data(), buffer_.size(), static_cast<off_t>(fileOffset_));
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    error_ = std::strerror(errno);
    got = 0;
  }
  fileOffset_ += static_cast<std::uint64_t>(got);
  chunk_ = std::string_view(buffer_.data(), static_cast<std::size_t>(got));
  at_ = 0;
  return got > 0;
}

void TextReader::startCapture() {
  spilled_.clear();
  capturing_ = true;
  captureFrom_ = at_ > 0 ? at_ - 1 : 0;
}

std::string_view TextReader::takeCapture() {
  capturing_ = false;
  const auto here = chunk_.substr(captureFrom_, at_ - captureFrom_);
  if (spilled_.empty()) return here;  // within one chunk: no copy
  spilled_.append(here);
  return spilled_;
}

}  // namespace pactmocks
