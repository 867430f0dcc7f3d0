// DirectoryWatcher on a real event loop and real inotify, against kubelet-style updates.
#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>

#include "Eventually.h"
#include "KubeletVolume.h"
#include "TestProcess.h"
#include "http/EventLoop.h"
#include "pactdir/DirectoryWatcher.h"

using namespace pactmocks::testsupport;
using pactmocks::pactdir::DirectoryWatcher;
using Reason = DirectoryWatcher::Reason;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct LoopThread {
  explicit LoopThread(unsigned threads = 1) : loop(threads) {
    for (unsigned i = 0; i < threads; ++i) runners.emplace_back([this] { loop.run(); });
  }
  ~LoopThread() {
    loop.stop();
    for (auto& t : runners) t.join();
  }
  pactmocks::http::EventLoop loop;
  std::vector<std::thread> runners;
};

}  // namespace

TEST_CASE("Watcher: a kubelet update burst becomes one debounced callback", "[integration][watcher]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "pacts");
  volume.update({{"a.json", "1"}});
  std::atomic<int> changes{0}, periodic{0};
  LoopThread lt;
  DirectoryWatcher watcher(lt.loop, volume.mountDir(), {150ms, 3600s},
                           [&](Reason r) { (r == Reason::Changed ? changes : periodic)++; });
  watcher.start();
  CHECK(watcher.watchedPath() == volume.mountDir());

  volume.update({{"a.json", "2"}, {"b.json", "3"}});
  REQUIRE(eventually([&] { return changes.load() >= 1; }, 3s));
  // Longer than the debounce: no second callback for the same burst.
  CHECK(holdsFor([&] { return changes.load() == 1; }, 400ms, "one callback for one burst"));

  SECTION("plain files written in place are seen too") {
    writeFile(volume.mountDir() + "/plain.json", "{}");
    CHECK(eventually([&] { return changes.load() >= 2; }, 3s));
  }
  SECTION("a touch (attributes only) of a plain file is seen too") {
    writeFile(volume.mountDir() + "/plain.json", "{}");
    REQUIRE(eventually([&] { return changes.load() >= 2; }, 3s));
    // What `touch` does: both times set (only mtime would be IN_MODIFY, not IN_ATTRIB).
    REQUIRE(::utimensat(AT_FDCWD, (volume.mountDir() + "/plain.json").c_str(), nullptr, 0) == 0);
    CHECK(eventually([&] { return changes.load() >= 3; }, 3s));
  }
  watcher.stop();
  CHECK(periodic.load() == 0);
}

TEST_CASE("Watcher: a missing directory is awaited through its ancestor", "[integration][watcher]") {
  TempDir tmp;
  std::string mount = tmp / "later/pacts";
  std::atomic<int> changes{0};
  LoopThread lt;
  DirectoryWatcher watcher(lt.loop, mount, {50ms, 3600s}, [&](Reason) { changes++; });
  watcher.start();
  CHECK(watcher.watchedPath() == tmp.path());

  fs::create_directories(mount);
  REQUIRE(eventually([&] { return watcher.watchedPath() == mount; }, 3s));
  int before = changes.load();
  KubeletVolume volume(mount);
  volume.update({{"a.json", "1"}});
  CHECK(eventually([&] { return changes.load() > before; }, 3s));

  SECTION("the directory removed: back to watching the ancestor, then again the directory") {
    fs::remove_all(mount);
    REQUIRE(eventually([&] { return watcher.watchedPath() == tmp / "later"; }, 3s));
    fs::create_directories(mount);
    CHECK(eventually([&] { return watcher.watchedPath() == mount; }, 3s));
  }
  watcher.stop();
}

TEST_CASE("Watcher: the periodic callback fires without any event", "[integration][watcher]") {
  TempDir tmp;
  std::atomic<int> periodic{0};
  LoopThread lt;
  DirectoryWatcher watcher(lt.loop, tmp.path(), {50ms, 200ms}, [&](Reason r) {
    if (r == Reason::Periodic) periodic++;
  });
  watcher.start();
  CHECK(eventually([&] { return periodic.load() >= 2; }, 3s));
  watcher.stop();
}

// Before DirectoryWatcher, ConfigMapWatcher::stop() returned while a callback was running on the
// loop, and the callback then touched the destroyed watcher (its mutex, its timers). Here the
// callback touches what its owner frees once stop() has returned, as an owner does: a stop() that
// does not wait makes that a heap-use-after-free, which AddressSanitizer reports.
TEST_CASE("Watcher: stop() waits for a running callback, which never touches a destroyed watcher",
          "[integration][watcher][race]") {
  TempDir tmp;
  LoopThread lt;
  std::mutex m;
  std::condition_variable cv;
  bool entered = false, released = false, finished = false, releasedWhileRunning = false;
  std::atomic<int> calls{0};
  auto ownerData = std::make_unique<int>(0);
  int* ownerDataSeenByCallback = ownerData.get();
  auto watcher = std::make_unique<DirectoryWatcher>(lt.loop, tmp.path(), DirectoryWatcher::Timing{10ms, 50ms},
                                                    [&](Reason) {
                                                      ++calls;
                                                      std::unique_lock lock(m);
                                                      if (entered) return;  // only the first call blocks
                                                      entered = true;
                                                      cv.notify_all();
                                                      // Released once stop() returned: a stop() that waits for this
                                                      // callback returns only after this bounded wait, one that
                                                      // does not wait returns at once.
                                                      cv.wait_for(lock, 1s, [&] { return released; });
                                                      releasedWhileRunning = released;
                                                      ++*ownerDataSeenByCallback;
                                                      finished = true;
                                                      cv.notify_all();
                                                    });
  watcher->start();
  {
    std::unique_lock lock(m);
    REQUIRE(cv.wait_for(lock, 5s, [&] { return entered; }));
  }
  watcher->stop();
  const int callsAtStop = calls.load();
  watcher.reset();
  ownerData.reset();  // the owner's own state goes with the watcher
  {
    std::unique_lock lock(m);
    released = true;
    cv.notify_all();
    REQUIRE(cv.wait_for(lock, 5s, [&] { return finished; }));
  }
  CHECK_FALSE(releasedWhileRunning);
  // And no callback comes after stop(): an event and several periods later.
  writeFile(tmp / "late.json", "{}");
  CHECK(holdsFor([&] { return calls.load() == callsAtStop; }, 300ms, "no callback after stop()"));
}

TEST_CASE("Watcher: stop() from inside the callback does not wait for itself", "[integration][watcher][race]") {
  TempDir tmp;
  LoopThread lt(2);
  std::atomic<bool> stoppedInside{false};
  std::atomic<int> calls{0};
  std::unique_ptr<DirectoryWatcher> watcher;
  watcher = std::make_unique<DirectoryWatcher>(lt.loop, tmp.path(), DirectoryWatcher::Timing{10ms, 1s}, [&](Reason) {
    ++calls;
    watcher->stop();
    stoppedInside = true;
  });
  watcher->start();
  REQUIRE(eventually([&] { return stoppedInside.load(); }, 5s));
  watcher->stop();  // from the test thread, after the callback: returns too
  CHECK(calls.load() == 1);
}
