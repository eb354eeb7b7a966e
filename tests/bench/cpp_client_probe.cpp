// framebridge-cpp-client-probe PORT WARMUP_S WINDOW_S: what one C++ client sees, the C++ side
// of tests/bench/client_probe.py. Reads frames by iterating a framebridge::Client for WARMUP_S,
// then for WINDOW_S, checking each frame's synthetic stamps, and prints one JSON line: frames,
// seconds, this process's CPU seconds, publish->ready latencies (ms) and stamp mismatches.

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

bool stamps_match(const framebridge::Frame& frame) {
    const auto* pixels = reinterpret_cast<const std::byte*>(frame.data());
    const std::size_t last = std::size_t{frame.height() - 1} * frame.stride() +
                             std::size_t{frame.width()} * bytes_per_pixel(frame.format()) - 8;
    return framebridge::app::read_stamp(pixels, 0) == frame.seq() &&
           framebridge::app::read_stamp(pixels, last) == frame.seq();
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
    if (argc != 4) {
        std::fputs("usage: framebridge-cpp-client-probe PORT WARMUP_S WINDOW_S\n", stderr);
        return 2;
    }
    framebridge::ConnectOptions options;
    options.port = static_cast<std::uint16_t>(std::stoi(argv[1]));
    options.name = "bench-cpp";
    const auto warmup = std::chrono::duration<double>(std::stod(argv[2]));
    const auto window = std::chrono::duration<double>(std::stod(argv[3]));
    try {
        framebridge::Client client(options);
        auto frames = client.begin();
        const auto warm_until = Clock::now() + warmup;
        while (Clock::now() < warm_until) {
            ++frames;
        }
        std::vector<double> latencies_ms;
        long mismatches = 0;
        const double cpu_start = cpu_seconds();
        const auto start = Clock::now();
        while (Clock::now() - start < window) {
            ++frames;
            if (frames == client.end()) {
                break;
            }
            latencies_ms.push_back(
                static_cast<double>(frames->receive_ns() - frames->publish_ns()) / 1e6);
            mismatches += stamps_match(*frames) ? 0 : 1;
        }
        const double elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
        const double cpu_s = cpu_seconds() - cpu_start;
        std::printf(
            "{\"frames\": %zu, \"elapsed_s\": %.6f, \"client_cpu_s\": %.6f, \"p50_ms\": %.6f, "
            "\"p99_ms\": %.6f, \"max_ms\": %.6f, \"seq_mismatches\": %ld}\n",
            latencies_ms.size(), elapsed_s, cpu_s, percentile(latencies_ms, 50),
            percentile(latencies_ms, 99), percentile(latencies_ms, 100), mismatches);
    } catch (const framebridge::FrameBridgeError& e) {
        std::fprintf(stderr, "framebridge-cpp-client-probe: %s\n", e.what());
        return 1;
    }
    return 0;
}
