#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>

namespace framebridge::app {

/// @brief Latency samples of the last `span_ns` (at most `max_samples` of them), summarised
/// on demand. Times are passed in so that the window can be tested without a clock.
class LatencyWindow {
public:
    static constexpr std::uint64_t DEFAULT_SPAN_NS = 10'000'000'000;
    static constexpr std::size_t DEFAULT_MAX_SAMPLES = 4096;

    explicit LatencyWindow(std::uint64_t span_ns = DEFAULT_SPAN_NS,
                           std::size_t max_samples = DEFAULT_MAX_SAMPLES);

    void add(std::uint64_t now_ns, std::uint64_t value_ns);

    /// @brief p50, p99 (nearest rank) and max of the samples still inside the window at `now_ns`.
    LatencySummary summary(std::uint64_t now_ns) const;

private:
    struct Sample {
        std::uint64_t at_ns;
        std::uint64_t value_ns;
    };

    std::uint64_t span_ns_;
    std::size_t max_samples_;
    std::deque<Sample> samples_;
};

}  // namespace framebridge::app
