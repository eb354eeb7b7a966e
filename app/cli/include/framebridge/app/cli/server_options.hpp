#pragma once

#include "framebridge/app/pipeline/pipeline.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace framebridge::app {

/// @brief --rtsp-port and the rest: the streams over RTSP too (see app/rtsp), at the pipeline's
/// --listen address and with its --token.
struct RtspOptions {
    std::optional<std::uint16_t> port;  ///< none: no RTSP; 0: any free port
    std::string encoder = "auto";
    std::uint32_t bitrate_kbps = 0;  ///< 0: from each stream's size and rate
};

/// @brief Everything framebridge-server's command line sets.
struct ServerOptions {
    PipelineConfig pipeline;
    RtspOptions rtsp;
    double stats_every_s = 5.0;  ///< 0: no periodic statistics line
    std::string log_level = "info";
    bool list_cameras = false;  ///< print the cameras found instead of serving
};

/// @brief The outcome of parsing a command line: options to run with, or an exit code and
/// the text to print (help, version, or an error for a person).
struct ParsedOptions {
    std::optional<ServerOptions> options;
    int exit_code = 0;
    std::string message;
};

/// @brief A program that takes framebridge-server's flags as its own (the desktop app): its
/// name and description for help, version and errors, and a hook that adds its own flags.
struct OptionsProgram {
    std::string name = "framebridge-server";
    std::string description;  ///< empty: framebridge-server's
    std::function<void(CLI::App&)> add_flags;
};

/// @brief Parses framebridge-server's arguments (argv[0] included).
ParsedOptions parse_server_options(int argc, const char* const* argv,
                                   const OptionsProgram& program = {});

/// @brief Parses "WxH", e.g. "3840x2160"; throws std::invalid_argument naming the text.
shm::FrameGeometry parse_size(const std::string& text);

}  // namespace framebridge::app
