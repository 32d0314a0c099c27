# The presets' toolchain: the newest clang-N installed beside its TSan runtime
# (scripts/setup.sh installs the package archive's newest, and clang 14).
#
# A preset, or a -D on the command line, that names CMAKE_CXX_COMPILER keeps
# it (tsan-clang14 does). Versions are compared as numbers: clang-22 is newer
# than clang-9. A clang without its compiler-rt (libclang-rt-N-dev) cannot
# link -fsanitize=thread and is passed over, so that a half-installed newer
# clang never silently becomes the CI's compiler.

if(NOT CMAKE_CXX_COMPILER)
  set(racestress_newest_clang 0)
  file(GLOB racestress_clangs /usr/bin/clang++-[0-9]*)
  foreach(candidate IN LISTS racestress_clangs)
    if(NOT candidate MATCHES "clang\\+\\+-([0-9]+)$")
      continue()
    endif()
    set(version "${CMAKE_MATCH_1}")
    # compiler-rt's two layouts: lib/linux/<name>-x86_64.a (up to LLVM 15 on
    # Debian) and lib/<triple>/<name>.a.
    file(GLOB runtime
         "/usr/lib/llvm-${version}/lib/clang/*/lib/linux/libclang_rt.tsan-*.a"
         "/usr/lib/llvm-${version}/lib/clang/*/lib/*-linux-gnu/libclang_rt.tsan.a")
    if(runtime AND EXISTS "/usr/bin/clang-${version}" AND version GREATER racestress_newest_clang)
      set(racestress_newest_clang "${version}")
    endif()
  endforeach()
  if(racestress_newest_clang EQUAL 0)
    message(FATAL_ERROR "racestress: no clang-N with its TSan runtime under /usr/bin; "
                        "run scripts/setup.sh (or pass -DCMAKE_CXX_COMPILER=...)")
  endif()
  set(CMAKE_C_COMPILER "/usr/bin/clang-${racestress_newest_clang}")
  set(CMAKE_CXX_COMPILER "/usr/bin/clang++-${racestress_newest_clang}")
endif()
