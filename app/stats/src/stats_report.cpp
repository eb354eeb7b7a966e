#include "framebridge/app/stats/stats_report.hpp"

#include <fmt/format.h>

namespace framebridge::app {

std::string format_ms(std::uint64_t ns) {
    return fmt::format("{:.2f} ms", static_cast<double>(ns) / 1e6);
}

namespace {

std::string format_latency(const char* what, const LatencySummary& s) {
    if (s.count == 0) {
        return fmt::format("{} -", what);
    }
    return fmt::format("{} p50 {} p99 {} max {}", what, format_ms(s.p50_ns), format_ms(s.p99_ns),
                       format_ms(s.max_ns));
}

std::string format_stream(const StreamInfo& s) {
    const char* producer = s.producer == protocol::Producer::Client ? "published" : "capture";
    const std::string fps = s.fps > 0 ? fmt::format("{:.1f} fps", s.fps) : "fps -";
    return fmt::format("  stream '{}' ({}): {}x{} {}, {}, published {}, {} client(s)", s.name,
                       producer, s.geometry.width, s.geometry.height, to_string(s.geometry.format),
                       fps, s.published, s.clients);
}

/// @brief " reads 'front'", " publishes 'edges'", both, or nothing before HELLO.
std::string format_client_streams(const ClientStats& c) {
    std::string text;
    if (!c.stream.empty()) {
        text = fmt::format(" reads '{}'", c.stream);
    }
    if (!c.publishes.empty()) {
        text += fmt::format("{} publishes '{}'", text.empty() ? "" : ",", c.publishes);
    }
    return text;
}

/// @brief "; 12 results, capture->result p50 ...", and the results it watched for but was too
/// slow to get; nothing for a client that neither sent nor missed any.
std::string format_results(const ClientStats& c) {
    std::string text;
    if (c.results > 0) {
        text = fmt::format("; {} result(s), {}", c.results,
                           format_latency("capture->result", c.to_result));
    }
    if (c.results_skipped > 0) {
        text += fmt::format("; {} result(s) skipped, read too slowly", c.results_skipped);
    }
    return text;
}

}  // namespace

std::vector<std::string> format_stats(const PipelineStats& stats) {
    std::vector<std::string> lines;
    const CaptureStats& c = stats.capture;
    lines.push_back(fmt::format(
        "capture {:.1f} fps, published {}, dropped {}, copies/frame {:.2f}, {} client(s){}", c.fps,
        c.published, c.dropped, c.copies_per_frame(), stats.clients.size(),
        c.state == protocol::StreamState::Live ? ""
                                               : fmt::format("; stream {}", to_string(c.state))));
    for (const StreamInfo& stream : stats.streams) {
        lines.push_back(format_stream(stream));
    }
    for (const ClientStats& client : stats.clients) {
        lines.push_back(fmt::format(
            "  client {} '{}' (pid {}){}: frames {}, skipped {}, holding {}, taken back {}; "
            "{}; {}{}{}",
            client.id, client.name, client.pid, format_client_streams(client), client.frames,
            client.skipped, client.held, client.revoked,
            format_latency("publish->ready", client.ready), format_latency("hold", client.hold),
            format_results(client),
            client.bad_timings == 0
                ? ""
                : fmt::format("; {} RELEASE(s) with times out of order, not counted",
                              client.bad_timings)));
    }
    const ConnectionStats& n = stats.connections;
    if (n.refused + n.bad_messages + n.stopped_reading > 0) {
        lines.push_back(
            fmt::format("  connections: {} accepted, {} refused (token), {} closed "
                        "for bad messages, {} disconnected for not reading",
                        n.accepted, n.refused, n.bad_messages, n.stopped_reading));
    }
    return lines;
}

}  // namespace framebridge::app
