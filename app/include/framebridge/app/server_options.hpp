#pragma once

#include "framebridge/app/pipeline.hpp"

#include <optional>
#include <string>

namespace framebridge::app {

/// @brief Everything framebridge-server's command line sets.
struct ServerOptions {
    PipelineConfig pipeline;
    double stats_every_s = 5.0;  ///< 0: no periodic statistics line
    std::string log_level = "info";
};

/// @brief The outcome of parsing a command line: options to run with, or an exit code and
/// the text to print (help, version, or an error for a person).
struct ParsedOptions {
    std::optional<ServerOptions> options;
    int exit_code = 0;
    std::string message;
};

/// @brief Parses framebridge-server's arguments (argv[0] included).
ParsedOptions parse_server_options(int argc, const char* const* argv);

/// @brief Parses "WxH", e.g. "3840x2160"; throws std::invalid_argument naming the text.
shm::FrameGeometry parse_size(const std::string& text);

}  // namespace framebridge::app
