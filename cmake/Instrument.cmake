# racestress_instrument(<target>)
#
# Compiles <target>, code written without racestress (a library, an object
# library or an executable), with clang's load and store tracing
# (-fsanitize-coverage=inline-8bit-counters,trace-loads,trace-stores), so that
# every load and store of its code calls a racestress hook first: a
# scheduling point of the engine running the calling thread (seeded
# perturbation under the stress engine, a possible switch under the
# controlled engine; nothing on other threads). The source needs no change.
# Works together with -fsanitize=thread (clang 14 and later). The harness
# itself is never compiled this way.
#
#   add_library(payments STATIC ledger.cc)
#   racestress_instrument(payments)
#   target_link_libraries(my_cases PRIVATE payments racestress::harness)
function(racestress_instrument target)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "racestress_instrument(${target}): needs clang "
                        "(-fsanitize-coverage=trace-loads,trace-stores); "
                        "the compiler is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  target_compile_options(${target} PRIVATE
    -fsanitize-coverage=inline-8bit-counters,trace-loads,trace-stores)
  # The hooks come with the link, after the instrumented code.
  target_link_libraries(${target} PUBLIC racestress::instrument_hooks)
endfunction()
