# Verilated models of generated RTL, built at build time (the RTL exists only once escgen has
# run), linked against ONE shared Verilator runtime library instead of compiling verilated.cpp
# once per model (the slow part of a Verilator build).
#
#   escgen_block_model(<name> BLOCK <block> TOP <module> [PARAMS k=v ...])
#     runs `escgen block <block> --param k=v ... --out <dir>`, Verilates the result with -Wall,
#     builds the model library with Verilator's own makefile (only the model, not the runtime)
#     and defines the imported library target `<name>` (header V<name>.h).
find_package(verilator 5.0 REQUIRED)

add_library(verilated_rt STATIC
  ${VERILATOR_ROOT}/include/verilated.cpp
  ${VERILATOR_ROOT}/include/verilated_threads.cpp)
target_include_directories(verilated_rt SYSTEM PUBLIC ${VERILATOR_ROOT}/include
                                                      ${VERILATOR_ROOT}/include/vltstd)
target_compile_definitions(verilated_rt PUBLIC VM_COVERAGE=0 VM_SC=0 VM_TRACE=0 VM_TRACE_FST=0
                                               VM_TRACE_VCD=0)
target_compile_options(verilated_rt PRIVATE -O2 -w)
target_link_libraries(verilated_rt PUBLIC Threads::Threads)

function(escgen_block_model NAME)
  cmake_parse_arguments(M "" "BLOCK;TOP" "PARAMS" ${ARGN})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/models/${NAME})
  set(prefix V${NAME})
  set(params)
  foreach(p ${M_PARAMS})
    list(APPEND params --param ${p})
  endforeach()
  set(lib ${dir}/obj/${prefix}__ALL.a)
  # Step 1 runs whenever escgen changes, but rewrites rtl.sha only when the RTL itself changed
  # (Ninja's restat), so step 2 (Verilator + C++ compile, the slow part) reruns only then.
  add_custom_command(
    OUTPUT ${dir}/rtl.sha
    COMMAND $<TARGET_FILE:escgen> block ${M_BLOCK} ${params} --out ${dir} > /dev/null
    COMMAND sh -c "cat files.f rtl/*.v | sha256sum > rtl.sha.new"
    COMMAND ${CMAKE_COMMAND} -E copy_if_different rtl.sha.new rtl.sha
    WORKING_DIRECTORY ${dir}
    DEPENDS escgen
    COMMENT "Generating ${M_BLOCK} (${M_PARAMS})"
    VERBATIM)
  add_custom_command(
    OUTPUT ${lib} ${dir}/obj/${prefix}.h
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}/obj
    COMMAND ${VERILATOR_BIN} --cc -Wall --prefix ${prefix} --top-module ${M_TOP} -Mdir obj
            -f files.f
    COMMAND make -s -C obj -f ${prefix}.mk ${prefix}__ALL.a OPT_FAST=-O1 > /dev/null
    WORKING_DIRECTORY ${dir}
    DEPENDS ${dir}/rtl.sha
    COMMENT "Verilating ${M_BLOCK} (${M_PARAMS}) as ${prefix}"
    VERBATIM)
  add_custom_target(${NAME}_build DEPENDS ${lib})
  add_library(${NAME} STATIC IMPORTED GLOBAL)
  set_target_properties(${NAME} PROPERTIES IMPORTED_LOCATION ${lib})
  file(MAKE_DIRECTORY ${dir}/obj)
  target_include_directories(${NAME} INTERFACE ${dir}/obj)
  target_link_libraries(${NAME} INTERFACE verilated_rt)
  add_dependencies(${NAME} ${NAME}_build)
endfunction()
