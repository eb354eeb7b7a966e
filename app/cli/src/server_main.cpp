// framebridge-server: the headless pipeline, run until SIGINT or SIGTERM.

#include "framebridge/app/cli/server_options.hpp"
#include "framebridge/app/cli/stop_signals.hpp"
#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/record/record_file.hpp"
#include "framebridge/app/record/recorder.hpp"
#include "framebridge/app/sources/camera_report.hpp"
#include "framebridge/app/stats/stats_report.hpp"
#ifdef FRAMEBRIDGE_HAVE_RTSP
#include "framebridge/app/rtsp/rtsp_server.hpp"
#endif

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>

namespace asio = boost::asio;
using framebridge::app::Pipeline;
using framebridge::app::Recorder;

namespace {

constexpr int EXIT_START_FAILED = 2;

#ifdef FRAMEBRIDGE_HAVE_RTSP
using Rtsp = std::optional<framebridge::app::RtspServer>;

std::optional<std::string> start_rtsp(Rtsp& rtsp, Pipeline& pipeline,
                                      const framebridge::app::ServerOptions& options) {
    if (!options.rtsp.port) {
        return std::nullopt;
    }
    framebridge::app::RtspConfig config;
    config.port = *options.rtsp.port;
    config.listen_address = options.pipeline.listen_address;
    config.token = options.pipeline.token;
    config.encoder = options.rtsp.encoder;
    config.bitrate_kbps = options.rtsp.bitrate_kbps;
    try {
        rtsp.emplace(pipeline, config);
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}
#else
// Without GStreamer's RTSP server the options refuse --rtsp-port, so there is none to start.
struct Rtsp {
    void reset() {}
};

std::optional<std::string> start_rtsp(Rtsp&, Pipeline&, const framebridge::app::ServerOptions&) {
    return std::nullopt;
}
#endif

// --record and --record-stream: the server's own, not the desktop app's, which records from
// its window.
void add_record_flags(CLI::App& cli, framebridge::app::RecordOptions& record) {
    cli.add_option("--record", record.path,
                   "Record a stream from start to stop: FILE.mp4 or FILE.mkv (H.264), or "
                   "FILE.avi (MJPEG), replaced if it exists, with FILE.jsonl beside it: each "
                   "frame's seq and capture time and the results clients send "
                   "(docs/recording.md). Frames the encoder has no time for are skipped and "
                   "counted, never waited for")
        ->type_name("FILE")
        ->check([](const std::string& path) {
            try {
                framebridge::app::container_of(path);
                return std::string();
            } catch (const std::exception& e) {
                return std::string(e.what());
            }
        });
    cli.add_option("--record-stream", record.stream,
                   "The stream --record records (default: the first)")
        ->type_name("NAME");
}

void log_stats(const Pipeline& pipeline, const Rtsp& rtsp,
               const std::optional<Recorder>& recorder) {
    for (const std::string& line : framebridge::app::format_stats(pipeline.stats())) {
        spdlog::info("{}", line);
    }
#ifdef FRAMEBRIDGE_HAVE_RTSP
    if (rtsp) {
        spdlog::info("{}", framebridge::app::format_rtsp_stats(rtsp->stats()));
    }
#else
    (void)rtsp;
#endif
    if (recorder) {
        spdlog::info("{}", framebridge::app::format_record_stats(recorder->stats()));
    }
}

// Logs the statistics every `every_s` seconds until the io_context stops.
void schedule_stats(asio::steady_timer& timer, const Pipeline& pipeline, const Rtsp& rtsp,
                    const std::optional<Recorder>& recorder, double every_s) {
    timer.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(every_s * 1000)));
    timer.async_wait([&timer, &pipeline, &rtsp, &recorder, every_s](boost::system::error_code ec) {
        if (!ec) {
            log_stats(pipeline, rtsp, recorder);
            schedule_stats(timer, pipeline, rtsp, recorder, every_s);
        }
    });
}

}  // namespace

int main(int argc, char** argv) {
    framebridge::app::RecordOptions record;
    framebridge::app::OptionsProgram program;
    program.add_flags = [&record](CLI::App& cli) { add_record_flags(cli, record); };
    const auto parsed = framebridge::app::parse_server_options(argc, argv, program);
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
    // waits for stop_signals.wait(), instead of killing the process and leaving its segment
    // behind. Windows: Ctrl+Break too, which is how a parent stops a console child of its own
    // group.
    framebridge::app::StopSignals stop_signals;
    asio::io_context main_io;

    std::optional<Pipeline> pipeline;
    try {
        pipeline.emplace(options.pipeline);
    } catch (const std::exception& e) {
        spdlog::error("cannot start: {}", e.what());
        return EXIT_START_FAILED;
    }
    Rtsp rtsp;
    if (const auto failed = start_rtsp(rtsp, *pipeline, options)) {
        spdlog::error("cannot start: {}", *failed);
        pipeline->stop();
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

    std::optional<Recorder> recorder;
    if (!record.path.empty()) {
        try {
            recorder.emplace(*pipeline, record);
        } catch (const std::exception& e) {
            spdlog::error("cannot start: {}", e.what());
            return EXIT_START_FAILED;
        }
    }

    asio::steady_timer stats_timer(main_io);
    if (options.stats_every_s > 0) {
        schedule_stats(stats_timer, *pipeline, rtsp, recorder, options.stats_every_s);
    }
    spdlog::info("stopping on signal {}", stop_signals.wait(main_io));

    // Finalized before the pipeline goes: the recorder may hold one of its frames.
    if (recorder) {
        recorder->stop();
    }
    log_stats(*pipeline, rtsp, recorder);
    std::string names;
    for (const auto& stream : pipeline->streams()) {
        names += (names.empty() ? "'" : ", '") + stream.name + "'";
    }
    // RTSP gives back every frame it holds before the pipeline removes the rings.
    rtsp.reset();
    pipeline->stop();
    spdlog::info("stopped; stream(s) {} removed", names);
    return 0;
}
