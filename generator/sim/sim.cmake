# escgen sim: the simulation driver sources embedded into escgen (cmake/EmbedSimSources.cmake),
# the simulator build cache, and the sim / stimulus commands. Included from generator/.
set(ESCGEN_SIM_DRIVER_FILES
  ${PROJECT_SOURCE_DIR}/testbench/sim/sim_main.cpp
  ${PROJECT_SOURCE_DIR}/testbench/sim/driver.h
  ${PROJECT_SOURCE_DIR}/testbench/sim/wide_port.h
  ${PROJECT_SOURCE_DIR}/testbench/sim/sim_rng.h
  ${PROJECT_SOURCE_DIR}/testbench/sim/stim_files.h
  ${PROJECT_SOURCE_DIR}/testbench/sim/stim_files.cpp
  ${PROJECT_SOURCE_DIR}/testbench/sim/sim_options.h
  ${PROJECT_SOURCE_DIR}/testbench/sim/sim_options.cpp
  ${PROJECT_SOURCE_DIR}/testbench/sim/sim_report.h
  ${PROJECT_SOURCE_DIR}/testbench/sim/sim_report.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/interface/regmap.h
  ${CMAKE_CURRENT_SOURCE_DIR}/interface/limit_checks.h)
string(REPLACE ";" "|" escgen_sim_files "${ESCGEN_SIM_DRIVER_FILES}")
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/sim_driver_sources.cpp
  COMMAND ${CMAKE_COMMAND} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/sim_driver_sources.cpp
          -DFILES=${escgen_sim_files} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedSimSources.cmake
  DEPENDS ${ESCGEN_SIM_DRIVER_FILES} ${PROJECT_SOURCE_DIR}/cmake/EmbedSimSources.cmake
  COMMENT "Embedding the simulation driver sources"
  VERBATIM)
target_sources(escgen_core PRIVATE
  util/sha256.cpp
  util/process.cpp
  sim/build_cache.cpp
  sim/sim_build.cpp
  sim/sim_run.cpp
  cli/cmd_sim.cpp
  cli/cmd_stimulus.cpp
  ${CMAKE_CURRENT_BINARY_DIR}/sim_driver_sources.cpp)
