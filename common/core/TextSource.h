#pragma once
// Text that a parse reads from its start, once or several times, chunk by chunk: held in memory, or an
// open file read in chunks, so that a large pact file is never resident whole. (The 9 MiB text of the
// benchmark's largest pact was a fifth of a mock's peak memory during a reload.)
//
// An open file's descriptor pins the file as it was opened: a kubelet swapping the volume meanwhile
// changes nothing for it. A file rewritten in place would give each pass other bytes; changedSinceOpen()
// tells the caller to discard what it read.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "core/Result.h"

namespace pactmocks {

class TextSource {
 public:
  // Text held by the caller, who keeps it alive while the source is read.
  static TextSource inMemory(std::string_view text);
  // The file at `path`, opened for reading; the error says why it could not be.
  static Result<TextSource> openFile(const std::string& path);

  TextSource(TextSource&& other) noexcept;
  TextSource& operator=(TextSource&& other) noexcept;
  TextSource(const TextSource&) = delete;
  TextSource& operator=(const TextSource&) = delete;
  ~TextSource();

  // The size when opened.
  std::uint64_t size() const { return stamp_.size; }
  // A file's size or modification time is no longer what it was when opened. (Not its change time:
  // that moves when the file is unlinked, which the kubelet does to a generation it replaced.)
  bool changedSinceOpen() const;
  // The whole text, read once more (the manager publishes it whole).
  Result<std::string> readAll() const;

 private:
  friend class TextReader;
  struct Stamp {
    std::uint64_t size = 0;
    std::int64_t mtimeNs = 0;
    bool operator==(const Stamp&) const = default;
  };
  TextSource(std::string_view memory, int fd, Stamp stamp) : memory_(memory), fd_(fd), stamp_(stamp) {}

  std::string_view memory_;
  int fd_ = -1;  // -1: in memory
  Stamp stamp_;
};

// One reading of a source from its start: by chunks (next()), or character by character for a parser
// (begin()/end()). A part of the text can be captured as it is read, across chunks.
class TextReader {
 public:
  static constexpr std::size_t kChunkSize = 64 * 1024;
  explicit TextReader(const TextSource& source) : source_(source) {}
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  // The rest of the current chunk, or the next one; empty at the end or when a read failed (error()).
  std::string_view next();

  // An input iterator over the characters. Copies share the reader's position; end() is a sentinel.
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;
    Iterator() = default;
    explicit Iterator(TextReader* reader) : reader_(reader) {}
    reference operator*() const { return reader_->chunk_[reader_->at_]; }
    Iterator& operator++() {
      ++reader_->at_;
      return *this;
    }
    Iterator operator++(int) {
      auto old = *this;
      ++*this;
      return old;
    }
    bool operator==(const Iterator& other) const { return atEnd() == other.atEnd(); }

   private:
    bool atEnd() const { return !reader_ || !reader_->available(); }
    TextReader* reader_ = nullptr;
  };
  Iterator begin() { return Iterator(this); }
  Iterator end() { return Iterator(); }

  // Starts capturing at the last character read (a parser's event comes right after it).
  void startCapture();
  bool capturing() const { return capturing_; }
  // What was read since the capture started; valid until the reader reads on. Stops the capture.
  std::string_view takeCapture();

  // Why a read failed; empty when none did.
  const std::string& error() const { return error_; }

 private:
  bool available() { return at_ < chunk_.size() || refill(); }
  bool refill();

  const TextSource& source_;
  std::string buffer_;          // a file's current chunk
  std::string_view chunk_;      // the text being read: the buffer, or the whole text in memory
  std::size_t at_ = 0;          // position in chunk_
  std::uint64_t fileOffset_ = 0;
  bool started_ = false;
  bool capturing_ = false;
  std::size_t captureFrom_ = 0;  // in chunk_
  std::string spilled_;          // the capture's part in earlier chunks
  std::string error_;
};

}  // namespace pactmocks
