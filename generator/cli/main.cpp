// escgen entry point.
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) { return escgen::cli::run(argc, argv, std::cout, std::cerr); }
