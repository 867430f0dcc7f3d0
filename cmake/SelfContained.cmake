# How the binaries carry their dependencies. Every shared library a process maps costs it resident
# pages of its own (the kernel maps 64 KiB around each page fault): an idle mock on one interaction
# had 6.2 MiB of file-backed pages, of them libstdc++ 1.6 MiB, spdlog and fmt 0.58, RE2 0.13, for code
# it mostly never runs. Linked in, only what is used is there, and the mock is 4.5 MiB idle.
#  - spdlog: its implementation is compiled once, in common/core/Logging.cpp (SPDLOG_COMPILED_LIB),
#    fmt is used header-only, so no binary links libspdlog or libfmt. (spdlog's header-only mode would
#    cost every logging translation unit ~5 s more to compile; this costs ~0.3 s.)
#  - RE2: its static archive (Debian's libre2-dev ships it).
#  - pactmocks_self_contained(<target>): libstdc++ and libgcc linked statically and unused sections
#    dropped, for the binaries we ship (and the TLS module, which then brings no libstdc++ either).
#    Not in sanitizer or fuzz builds: their runtimes intercept libstdc++'s exception entry points,
#    which they can only do in a shared libstdc++.
find_package(spdlog 1.10 REQUIRED CONFIG)  # for its headers and version; its library is not linked
find_path(PACTMOCKS_FMT_INCLUDE_DIR fmt/format.h REQUIRED)
add_library(pactmocks_spdlog INTERFACE)
target_include_directories(pactmocks_spdlog SYSTEM INTERFACE ${PACTMOCKS_FMT_INCLUDE_DIR})
target_compile_definitions(pactmocks_spdlog INTERFACE SPDLOG_COMPILED_LIB SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY=1)
target_link_libraries(pactmocks_spdlog INTERFACE Threads::Threads)

find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED re2)
find_library(PACTMOCKS_RE2_ARCHIVE NAMES libre2.a HINTS ${RE2_LIBRARY_DIRS} REQUIRED)
add_library(pactmocks_re2 INTERFACE)
target_include_directories(pactmocks_re2 SYSTEM INTERFACE ${RE2_INCLUDE_DIRS})
target_link_libraries(pactmocks_re2 INTERFACE ${PACTMOCKS_RE2_ARCHIVE} Threads::Threads)

if(PACTMOCKS_SANITIZE OR PACTMOCKS_TSAN OR PACTMOCKS_FUZZ)
  set(_pactmocks_self_contained OFF)
else()
  set(_pactmocks_self_contained ON)
  # Lets the linker drop what nothing calls, one function or object at a time.
  add_compile_options(-ffunction-sections -fdata-sections)
endif()

function(pactmocks_self_contained target)
  if(_pactmocks_self_contained)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -Wl,--gc-sections)
  endif()
endfunction()
