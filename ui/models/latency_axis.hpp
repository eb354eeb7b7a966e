#pragma once

#include "models/latency_history.hpp"

namespace framebridge::ui {

/// @brief The latency axis: 0 to `top_ms` in ticks `step_ms` apart, both round (1, 2 or 5
/// times a power of ten).
struct LatencyAxis {
    double top_ms = 1.0;
    double step_ms = 0.2;
};

/// @brief The axis for `history`: it holds every p50, and each p99 up to OUTLIER_FACTOR times
/// its client's median p50, so one slow first frame (which stays in the server's p99 for ten
/// seconds) does not squash every other line to the bottom. At least 0 to 1 ms.
LatencyAxis latency_axis(const LatencyHistory& history);

/// @brief A p99 above this many times the client's median p50 draws off the top.
inline constexpr double OUTLIER_FACTOR = 5.0;

}  // namespace framebridge::ui
