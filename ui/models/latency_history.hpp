#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"

#include <QString>
#include <cstdint>
#include <deque>
#include <vector>

namespace framebridge::ui {

/// @brief Which of a client's latencies a history keeps.
enum class LatencyMeasure {
    Ready,     ///< publish -> the client has the FRAME
    ToResult,  ///< the frame captured -> the server read the client's RESULT about it
};

/// @brief One reading of a client's latency.
struct LatencyPoint {
    double at_s = 0;  ///< when it was read, on the caller's clock
    double p50_ms = 0;
    double p99_ms = 0;
};

/// @brief The readings of one client, oldest first.
struct LatencySeries {
    std::uint32_t client_id = 0;
    std::uint32_t run = 0;  ///< client ids start again at 1 with every capture
    /// @brief Tells this series from any other, across runs.
    std::uint64_t key() const noexcept { return (std::uint64_t{run} << 32) | client_id; }
    QString label;  ///< "name (pid)"
    std::deque<LatencyPoint> points;
};

/// @brief The last `span_s` seconds of each client's latency of one measure, for the plot. A
/// client's series goes when its last reading is older than that. Times are passed in, so it is
/// tested without a clock.
class LatencyHistory {
public:
    static constexpr double DEFAULT_SPAN_S = 60.0;

    explicit LatencyHistory(double span_s = DEFAULT_SPAN_S,
                            LatencyMeasure measure = LatencyMeasure::Ready)
        : span_s_(span_s), measure_(measure) {}

    /// @brief Adds a reading for every client that has samples of the measure.
    void add(double now_s, const std::vector<app::ClientStats>& clients);
    void clear() { series_.clear(); }
    /// @brief A new capture starts: what comes next is new clients, even under old ids; the
    /// last run's lines stay until they are older than the span.
    void begin_run() noexcept { ++run_; }
    const std::vector<LatencySeries>& series() const noexcept { return series_; }
    double span_s() const noexcept { return span_s_; }
    LatencyMeasure measure() const noexcept { return measure_; }

private:
    LatencySeries& series_of(const app::ClientStats& client);

    double span_s_;
    LatencyMeasure measure_;
    std::uint32_t run_ = 0;
    std::vector<LatencySeries> series_;
};

}  // namespace framebridge::ui
