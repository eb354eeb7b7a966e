#include "models/latency_axis.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace framebridge::ui {

namespace {

constexpr double MIN_TOP_MS = 1.0;

double median_p50(const LatencySeries& series) {
    std::vector<double> values;
    for (const LatencyPoint& point : series.points) {
        values.push_back(point.p50_ms);
    }
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return values.empty() ? 0.0 : *middle;
}

// The first of 1, 2, 5 x 10^k at or above `value`, and the tick that splits it evenly.
LatencyAxis round_up(double value) {
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (const auto& [mantissa, ticks] : {std::pair{1.0, 5.0}, {2.0, 4.0}, {5.0, 5.0}}) {
        if (mantissa * power >= value * (1 - 1e-9)) {
            return {mantissa * power, mantissa * power / ticks};
        }
    }
    return {10 * power, 2 * power};
}

}  // namespace

LatencyAxis latency_axis(const LatencyHistory& history) {
    double top_ms = MIN_TOP_MS;
    for (const LatencySeries& series : history.series()) {
        const double cap_ms = OUTLIER_FACTOR * median_p50(series);
        for (const LatencyPoint& point : series.points) {
            top_ms = std::max({top_ms, point.p50_ms, std::min(point.p99_ms, cap_ms)});
        }
    }
    return round_up(top_ms);
}

}  // namespace framebridge::ui
