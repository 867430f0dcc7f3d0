# Sanitizer builds, each in a build directory of its own (scripts/test.sh: build-asan, build-tsan).
#  - PACTMOCKS_SANITIZE=ON: AddressSanitizer (with LeakSanitizer) + UndefinedBehaviorSanitizer.
#  - PACTMOCKS_TSAN=ON: ThreadSanitizer (GCC's libtsan or clang's runtime).
# Both make every report fatal at compile time where the compiler can (-fno-sanitize-recover=all:
# UBSan aborts instead of printing and going on); the runtime options (halt_on_error, log_path,
# detect_leaks) are the stage's, in scripts/sanitizer-env.sh, so they reach the child processes too.
# Both build at -O1 -g whatever CMAKE_BUILD_TYPE says: about twice as fast as -O0 under the
# sanitizers, and -O1 keeps the stack traces usable (no inlining across frames worth speaking of).
option(PACTMOCKS_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(PACTMOCKS_TSAN "Build with ThreadSanitizer" OFF)

if(PACTMOCKS_SANITIZE AND PACTMOCKS_TSAN)
  message(FATAL_ERROR "PACTMOCKS_SANITIZE and PACTMOCKS_TSAN cannot share a build: use two build directories")
endif()

set(_pactmocks_sanitize_flags)
if(PACTMOCKS_SANITIZE)
  set(_pactmocks_sanitize_flags -fsanitize=address,undefined)
elseif(PACTMOCKS_TSAN)
  set(_pactmocks_sanitize_flags -fsanitize=thread)
endif()

if(_pactmocks_sanitize_flags)
  # Added after CMAKE_CXX_FLAGS_<CONFIG> on the command line, so this -O1 wins over its -O2/-O0.
  add_compile_options(${_pactmocks_sanitize_flags} -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g)
  add_link_options(${_pactmocks_sanitize_flags})
  if(PACTMOCKS_TSAN AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC warns that TSan does not model std::atomic_thread_fence; none of our code uses one, and
    # the warning in third-party headers is not ours to fix.
    add_compile_options(-Wno-tsan)
  endif()
endif()
