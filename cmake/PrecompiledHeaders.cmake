# Precompiled headers. nlohmann/json.hpp (133k preprocessed lines) reaches most translation
# units and catch.hpp (104k) every test: a PCH parses them once per build instead of once per TU.
# One PCH per flavour is built by a host target and reused (REUSE_FROM) by every target, since
# a PCH per target would cost more than it saves on targets with few sources.
#  - pactmocks_pch_common: common standard headers and json (everything but the tests). Not
#    spdlog: its compile definitions would have to be on every TU for the PCH to be usable.
#  - pactmocks_pch_tests: the same plus catch.hpp, compiled with CATCH_CONFIG_FAST_COMPILE like
#    the tests (GCC ignores a PCH built with a macro the TU does not define; CMake adds
#    -Winvalid-pch, so that shows as a warning).
# A source that defines a CATCH_CONFIG_* macro before including catch.hpp (its own main) must
# opt out: set_source_files_properties(<file> PROPERTIES SKIP_PRECOMPILE_HEADERS ON).
# Off by default: measured per TU (CPU time, -O2 -g, GCC 12) the gain is small and uneven, since
# code generation, not parsing, dominates most TUs here; and a PCH hides missing includes.
# -DPACTMOCKS_PCH=ON to use it (ccache keeps working: see the launcher below).
option(PACTMOCKS_PCH "Precompile the widely included heavy headers (json, catch)" OFF)

set(_pactmocks_pch_headers
  <algorithm> <chrono> <cstdint> <functional> <map> <memory> <mutex> <optional> <string>
  <string_view> <unordered_map> <utility> <vector>
  <nlohmann/json.hpp>)

if(PACTMOCKS_PCH)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # ccache cannot cache TUs built against a clang PCH that embeds its inputs' timestamps.
    add_compile_options(-Xclang -fno-pch-timestamp)
  endif()
  if(CMAKE_CXX_COMPILER_LAUNCHER MATCHES "ccache")
    # ccache only caches TUs built against a PCH with these: it cannot see __TIME__ or #defines
    # behind the PCH, and the PCH is always newer than the build's start. They replace any
    # sloppiness from ccache.conf for this build.
    set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env
        CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
        ${CMAKE_CXX_COMPILER_LAUNCHER})
  endif()
endif()

# pactmocks_pch_host(<name> [HEADERS <extra headers>...] [LIBS <libs>...]): a target whose only job
# is to compile a PCH (the common headers plus HEADERS) that other targets reuse; LIBS bring the
# include paths and compile definitions the reusing targets have.
function(pactmocks_pch_host name)
  cmake_parse_arguments(H "" "" "HEADERS;LIBS" ${ARGN})
  if(NOT PACTMOCKS_PCH)
    return()
  endif()
  file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/pch/${name}.cpp CONTENT "// builds the ${name} precompiled header\n")
  add_library(${name} OBJECT ${CMAKE_BINARY_DIR}/pch/${name}.cpp)
  target_link_libraries(${name} PRIVATE nlohmann_json::nlohmann_json ${H_LIBS})
  target_precompile_headers(${name} PRIVATE ${_pactmocks_pch_headers} ${H_HEADERS})
endfunction()

# pactmocks_reuse_pch(<target> <host>)
function(pactmocks_reuse_pch target host)
  if(PACTMOCKS_PCH)
    target_precompile_headers(${target} REUSE_FROM ${host})
  endif()
endfunction()

pactmocks_pch_host(pactmocks_pch_common)

# Sources that do not compile with json.hpp force-included. EnvConfig.cpp: its local
# quoted(const std::string&) loses to std::quoted (declared by json.hpp) for non-const string
# arguments; qualifying the call in the source would let it use the PCH.
set(_pactmocks_pch_skipped ${PROJECT_SOURCE_DIR}/common/core/EnvConfig.cpp)

# Run once every directory is read (cmake_language DEFER in the top-level CMakeLists.txt): gives
# each C++ target of the project's own folders (not bench/) the common PCH unless it already
# reuses one (the tests reuse pactmocks_pch_tests, see tests/CMakeLists.txt).
function(pactmocks_apply_common_pch)
  if(NOT PACTMOCKS_PCH)
    return()
  endif()
  set(_dirs ${PROJECT_SOURCE_DIR}/common ${PROJECT_SOURCE_DIR}/manager ${PROJECT_SOURCE_DIR}/mockserver
            ${PROJECT_SOURCE_DIR}/tests)
  set(_targets)
  while(_dirs)
    list(POP_FRONT _dirs _dir)
    if(NOT IS_DIRECTORY ${_dir})
      continue()
    endif()
    get_property(_sub DIRECTORY ${_dir} PROPERTY SUBDIRECTORIES)
    get_property(_own DIRECTORY ${_dir} PROPERTY BUILDSYSTEM_TARGETS)
    list(APPEND _dirs ${_sub})
    list(APPEND _targets ${_own})
  endwhile()

  foreach(_source ${_pactmocks_pch_skipped})
    get_filename_component(_dir ${_source} DIRECTORY)
    if(EXISTS ${_source})
      set_source_files_properties(${_source} DIRECTORY ${_dir} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    endif()
  endforeach()

  foreach(_target ${_targets})
    get_target_property(_type ${_target} TYPE)
    if(NOT _type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|OBJECT_LIBRARY|MODULE_LIBRARY)$")
      continue()
    endif()
    get_target_property(_reuse ${_target} PRECOMPILE_HEADERS_REUSE_FROM)
    get_target_property(_own ${_target} PRECOMPILE_HEADERS)
    # pactmocks_catch_main defines CATCH_CONFIG_MAIN before it includes catch.hpp.
    if(_reuse OR _own OR _target MATCHES "^pactmocks_(catch_main|pch_)")
      continue()
    endif()
    target_precompile_headers(${_target} REUSE_FROM pactmocks_pch_common)
  endforeach()
endfunction()
