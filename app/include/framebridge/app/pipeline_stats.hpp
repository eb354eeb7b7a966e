#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace framebridge::app {

/// @brief p50/p99/max of the samples in a window, nanoseconds; all 0 when count is 0.
struct LatencySummary {
    std::uint64_t count = 0;
    std::uint64_t p50_ns = 0;
    std::uint64_t p99_ns = 0;
    std::uint64_t max_ns = 0;
};

struct CaptureStats {
    std::uint64_t grabbed = 0;
    std::uint64_t published = 0;
    std::uint64_t dropped = 0;  ///< grabbed with no free slot to put it in
    double fps = 0.0;           ///< grabs in the last full second
};

struct ClientStats {
    std::uint32_t id = 0;
    std::string name;
    std::uint32_t pid = 0;
    std::uint64_t frames = 0;   ///< FRAMEs sent
    std::uint64_t skipped = 0;  ///< published frames it never got, between ones it did
    std::uint32_t held = 0;     ///< frames it holds now
    LatencySummary ready;       ///< publish -> client has the FRAME
    LatencySummary hold;        ///< client has the FRAME -> client released it
};

struct PipelineStats {
    CaptureStats capture;
    std::vector<ClientStats> clients;
};

}  // namespace framebridge::app
