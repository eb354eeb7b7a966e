// framebridge-server: the headless pipeline, run until SIGINT or SIGTERM.

#include "framebridge/app/cli/server_options.hpp"
#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/sources/camera_report.hpp"
#include "framebridge/app/stats/stats_report.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <functional>

namespace asio = boost::asio;
using framebridge::app::Pipeline;

namespace {

constexpr int EXIT_START_FAILED = 2;

void log_stats(const Pipeline& pipeline) {
    for (const std::string& line : framebridge::app::format_stats(pipeline.stats())) {
        spdlog::info("{}", line);
    }
}

// Logs the statistics every `every_s` seconds until the io_context stops.
void schedule_stats(asio::steady_timer& timer, const Pipeline& pipeline, double every_s) {
    timer.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(every_s * 1000)));
    timer.async_wait([&timer, &pipeline, every_s](boost::system::error_code ec) {
        if (!ec) {
            log_stats(pipeline);
            schedule_stats(timer, pipeline, every_s);
        }
    });
}

}  // namespace

int main(int argc, char** argv) {
    const auto parsed = framebridge::app::parse_server_options(argc, argv);
    if (!parsed.options) {
        std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
        return parsed.exit_code;
    }
    const auto& options = *parsed.options;
    if (options.list_cameras) {
        return framebridge::app::print_cameras("framebridge-server");
    }
    spdlog::set_default_logger(spdlog::stderr_color_mt("framebridge-server"));
    spdlog::set_level(spdlog::level::from_str(options.log_level));
    spdlog::set_pattern("%H:%M:%S.%e %^%l%$ %v");

    // Signals are caught before anything is created: one that comes while the pipeline starts
    // waits for main_io.run(), instead of killing the process and leaving its segment behind.
    asio::io_context main_io;
    asio::signal_set signals(main_io, SIGINT, SIGTERM);
#ifdef SIGBREAK
    // Windows: Ctrl+Break, which is also how a parent stops a console child of its own group.
    signals.add(SIGBREAK);
#endif

    std::optional<Pipeline> pipeline;
    try {
        pipeline.emplace(options.pipeline);
    } catch (const std::exception& e) {
        spdlog::error("cannot start: {}", e.what());
        return EXIT_START_FAILED;
    }
    const auto& p = options.pipeline;
    const double fps = pipeline->capture_fps();
    spdlog::info(
        "serving {} at {} on {} as stream '{}' ({} slots, {:.1f} MB in shared memory); "
        "clients may publish streams of their own",
        pipeline->source_description(),
        fps > 0 ? fmt::format("{:g} fps", fps) : std::string("the source's own pace"),
        pipeline->endpoint(), pipeline->segment_name(), p.slots,
        static_cast<double>(pipeline->segment_size()) / 1e6);
    for (const auto& stream : pipeline->streams()) {
        spdlog::info("stream '{}': {}x{} {}{}", stream.name, stream.geometry.width,
                     stream.geometry.height, to_string(stream.geometry.format),
                     stream.fps > 0 ? fmt::format(" at {:g} fps", stream.fps) : std::string());
    }
    if (!p.token.empty()) {
        spdlog::info(
            "clients must give the token: fb.connect(..., token=...) or the "
            "FRAMEBRIDGE_TOKEN environment variable");
    }

    asio::steady_timer stats_timer(main_io);
    signals.async_wait([&](boost::system::error_code ec, int signal_number) {
        if (!ec) {
            spdlog::info("stopping on signal {}", signal_number);
            stats_timer.cancel();
        }
    });
    if (options.stats_every_s > 0) {
        schedule_stats(stats_timer, *pipeline, options.stats_every_s);
    }
    main_io.run();

    log_stats(*pipeline);
    std::string names;
    for (const auto& stream : pipeline->streams()) {
        names += (names.empty() ? "'" : ", '") + stream.name + "'";
    }
    pipeline->stop();
    spdlog::info("stopped; stream(s) {} removed", names);
    return 0;
}
