#pragma once

#include "framebridge/app/cli/server_options.hpp"

#include <optional>
#include <set>
#include <string>

namespace framebridge::ui {

/// @brief What the app's command line says: framebridge-server's options, which of them were
/// given (those override the saved settings), and whether to start capturing at launch.
struct AppOptions {
    app::ServerOptions server;
    std::set<std::string> given;  ///< long names, e.g. "--size"
    bool start = false;
    /// @brief Start the form from framebridge-server's defaults, not the last run's settings.
    bool defaults = false;
    std::string script;       ///< to run once the capture runs; empty: none
    std::string script_args;  ///< its arguments, when "--script-args" is among `given`
};

/// @brief Options to run with, or an exit code and the text to print (help, version, error).
struct ParsedAppOptions {
    std::optional<AppOptions> options;
    int exit_code = 0;
    std::string message;
};

/// @brief Parses the app's arguments (argv[0] included): the server's flags plus --start,
/// --defaults, --script and --script-args.
ParsedAppOptions parse_app_options(int argc, const char* const* argv);

}  // namespace framebridge::ui
