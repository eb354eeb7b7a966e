#include "models/app_options.hpp"

#include <CLI/CLI.hpp>

namespace framebridge::ui {

ParsedAppOptions parse_app_options(int argc, const char* const* argv) {
    bool start = false;
    bool defaults = false;
    std::string script;
    std::string script_args;
    std::set<std::string> given;
    app::OptionsProgram program;
    program.name = "framebridge";
    program.description =
        "framebridge: the FrameBridge desktop app. Captures frames into shared memory, previews "
        "them, and runs Python scripts that read them with no copy. Takes framebridge-server's "
        "flags; without them it starts from the settings of its last run.";
    program.add_flags = [&start, &defaults, &script, &script_args, &given](CLI::App& cli) {
        cli.add_flag("--start", start, "Start capturing at launch");
        cli.add_flag("--defaults", defaults,
                     "Capture what framebridge-server would (with the flags given), not what the "
                     "last run saved");
        cli.add_option("--script", script,
                       "Python script to run once the capture runs (with --start: at launch)")
            ->check(CLI::ExistingFile);
        cli.add_option("--script-args", script_args,
                       "Its arguments; {port} becomes the capture's port (default: those of the "
                       "last run, at first \"--port {port}\")");
        // Runs at the end of parsing, while the parser still knows which flags were given.
        cli.final_callback([&cli, &given] {
            for (const CLI::Option* option : cli.get_options()) {
                if (option->count() > 0) {
                    given.insert(option->get_name());
                }
            }
        });
    };

    app::ParsedOptions parsed = app::parse_server_options(argc, argv, program);
    ParsedAppOptions result;
    result.exit_code = parsed.exit_code;
    result.message = std::move(parsed.message);
    if (parsed.options) {
        result.options =
            AppOptions{std::move(*parsed.options), std::move(given),      start, defaults,
                       std::move(script),          std::move(script_args)};
    }
    return result;
}

}  // namespace framebridge::ui
