# The synthesis flow's part of escgen_core (included by generator/CMakeLists.txt): the flow
# sources and the synth/ scripts built in as string constants (cmake/EmbedFiles.cmake).
file(GLOB ESCGEN_SYNTH_SCRIPTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/synth/*.tcl)
set(ESCGEN_SYNTH_EMBEDDED ${CMAKE_CURRENT_BINARY_DIR}/synth_scripts.cpp)
add_custom_command(
  OUTPUT ${ESCGEN_SYNTH_EMBEDDED}
  COMMAND ${CMAKE_COMMAND} "-DFILES=${ESCGEN_SYNTH_SCRIPTS}" -DOUT=${ESCGEN_SYNTH_EMBEDDED}
          -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
  DEPENDS ${ESCGEN_SYNTH_SCRIPTS} ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
  COMMENT "Embedding synth/ scripts"
  VERBATIM)
target_sources(escgen_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/liberty_info.cpp
  ${CMAKE_CURRENT_LIST_DIR}/yosys_stat.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sta_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/limiters.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hierarchy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tools.cpp
  ${CMAKE_CURRENT_LIST_DIR}/flow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../cli/cmd_synth.cpp
  ${ESCGEN_SYNTH_EMBEDDED}
)
