// ConfigMapWatcher on a real event loop and real inotify, against kubelet-style updates.
#include <atomic>
#include <filesystem>
#include <thread>

#include <catch2/catch.hpp>

#include "ConfigMapWatcher.h"
#include "KubeletVolume.h"
#include "EventLoopThread.h"
#include "TestProcess.h"

using namespace pactmocks::testsupport;
using pactmocks::manager::ConfigMapWatcher;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

using LoopThread = pactmocks::testsupport::RunningEventLoop;

TEST_CASE("Watcher: a kubelet update burst becomes one debounced rescan", "[integration][watcher]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "pacts");
  volume.update({{"a.json", "1"}});
  std::atomic<int> changes{0}, periodic{0};
  LoopThread lt;
  ConfigMapWatcher watcher(lt.loop(), volume.mountDir(), 150ms, 3600s, [&](ConfigMapWatcher::Reason r) {
    (r == ConfigMapWatcher::Reason::Changed ? changes : periodic)++;
  });
  watcher.start();
  CHECK(watcher.watchedPath() == volume.mountDir());

  volume.update({{"a.json", "2"}, {"b.json", "3"}});
  REQUIRE(eventually([&] { return changes.load() >= 1; }, 3s));
  // For longer than the debounce: no second rescan for the same burst.
  CHECK(holdsFor([&] { return changes.load() == 1; }, 400ms, "one rescan for the burst"));

  SECTION("plain files written in place are seen too") {
    writeFile(volume.mountDir() + "/plain.json", "{}");
    CHECK(eventually([&] { return changes.load() >= 2; }, 3s));
  }
  watcher.stop();
  CHECK(periodic.load() == 0);
}

TEST_CASE("Watcher: a missing directory is awaited through its ancestor", "[integration][watcher]") {
  TempDir tmp;
  std::string mount = tmp / "later/pacts";
  std::atomic<int> changes{0};
  LoopThread lt;
  ConfigMapWatcher watcher(lt.loop(), mount, 50ms, 3600s, [&](ConfigMapWatcher::Reason) { changes++; });
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

TEST_CASE("Watcher: the periodic rescan fires without any event", "[integration][watcher]") {
  TempDir tmp;
  std::atomic<int> periodic{0};
  LoopThread lt;
  ConfigMapWatcher watcher(lt.loop(), tmp.path(), 50ms, 200ms, [&](ConfigMapWatcher::Reason r) {
    if (r == ConfigMapWatcher::Reason::Periodic) periodic++;
  });
  watcher.start();
  CHECK(eventually([&] { return periodic.load() >= 2; }, 3s));
  watcher.stop();
}
