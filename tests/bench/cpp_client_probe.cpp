// framebridge-cpp-client-probe [--stream NAME] [--inverted] PORT WARMUP_S WINDOW_S: what one C++
// client sees, the C++ side of tests/bench/client_probe.py. Reads frames of stream NAME (default:
// the server's first) by iterating a framebridge::Client for WARMUP_S, then for WINDOW_S, checking
// each frame's synthetic stamps, and prints one JSON line: the stream, frames, seconds, this
// process's CPU seconds, publish->ready and capture->ready latencies (ms) and stamp mismatches.
// A frame published from another stream's frame (source_seq) carries that frame's capture time,
// so capture->ready is the whole round trip; its stamps are checked against source_seq, which
// holds for a publisher that copies its source's pixels, or with --inverted for one that
// publishes 255 - each byte (tests/bench/round_trip_publisher.py); other transforms mismatch.

#include "framebridge/app/sources/synthetic_source.hpp"
#include "framebridge/client/client.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* USAGE =
    "usage: framebridge-cpp-client-probe [--stream NAME] [--inverted] PORT WARMUP_S WINDOW_S\n";

// `inverted`: the publisher wrote 255 - each byte of its source, so each stamp is complemented.
bool stamps_match(const framebridge::Frame& frame, bool inverted) {
    const auto* pixels = reinterpret_cast<const std::byte*>(frame.data());
    const std::size_t last = std::size_t{frame.height() - 1} * frame.stride() +
                             std::size_t{frame.width()} * bytes_per_pixel(frame.format()) - 8;
    const std::uint64_t seq = frame.source_seq() != 0 ? frame.source_seq() : frame.seq();
    const std::uint64_t stamped = inverted ? ~seq : seq;
    return framebridge::app::read_stamp(pixels, 0) == stamped &&
           framebridge::app::read_stamp(pixels, last) == stamped;
}

double elapsed_ms(std::uint64_t from_ns, std::uint64_t to_ns) {
    return static_cast<double>(to_ns - from_ns) / 1e6;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0.0;
    }
    const auto at = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(at),
                     values.end());
    return values[at];
}

double cpu_seconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

}  // namespace

int main(int argc, char** argv) {
    framebridge::ConnectOptions options;
    options.name = "bench-cpp";
    std::vector<std::string> positional;
    bool inverted = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--stream" && i + 1 < argc) {
            options.stream = argv[++i];
        } else if (arg == "--inverted") {
            inverted = true;
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 3) {
        std::fputs(USAGE, stderr);
        return 2;
    }
    options.port = static_cast<std::uint16_t>(std::stoi(positional[0]));
    const auto warmup = std::chrono::duration<double>(std::stod(positional[1]));
    const auto window = std::chrono::duration<double>(std::stod(positional[2]));
    try {
        framebridge::Client client(options);
        auto frames = client.begin();
        const auto warm_until = Clock::now() + warmup;
        while (Clock::now() < warm_until) {
            ++frames;
        }
        std::vector<double> latencies_ms;
        std::vector<double> capture_latencies_ms;
        long mismatches = 0;
        const double cpu_start = cpu_seconds();
        const auto start = Clock::now();
        while (Clock::now() - start < window) {
            ++frames;
            if (frames == client.end()) {
                break;
            }
            latencies_ms.push_back(elapsed_ms(frames->publish_ns(), frames->receive_ns()));
            capture_latencies_ms.push_back(elapsed_ms(frames->capture_ns(), frames->receive_ns()));
            mismatches += stamps_match(*frames, inverted) ? 0 : 1;
        }
        const double elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
        const double cpu_s = cpu_seconds() - cpu_start;
        std::printf(
            "{\"stream\": \"%s\", \"frames\": %zu, \"elapsed_s\": %.6f, \"client_cpu_s\": %.6f, "
            "\"p50_ms\": %.6f, \"p99_ms\": %.6f, \"max_ms\": %.6f, \"capture_p50_ms\": %.6f, "
            "\"capture_p99_ms\": %.6f, \"seq_mismatches\": %ld}\n",
            client.stream().c_str(), latencies_ms.size(), elapsed_s, cpu_s,
            percentile(latencies_ms, 50), percentile(latencies_ms, 99),
            percentile(latencies_ms, 100), percentile(capture_latencies_ms, 50),
            percentile(capture_latencies_ms, 99), mismatches);
    } catch (const framebridge::FrameBridgeError& e) {
        std::fprintf(stderr, "framebridge-cpp-client-probe: %s\n", e.what());
        return 1;
    }
    return 0;
}
