#pragma once

#include <string>

namespace framebridge::app {

/// @brief `--list-cameras`: prints the cameras found, one per line, on stdout; the exit code
/// (0, or 2 with a line on stderr naming `program` when this build cannot open cameras).
int print_cameras(const std::string& program);

}  // namespace framebridge::app
