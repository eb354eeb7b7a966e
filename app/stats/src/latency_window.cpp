#include "framebridge/app/stats/latency_window.hpp"

#include <algorithm>
#include <vector>

namespace framebridge::app {
namespace {

// Nearest-rank percentile of a sorted, non-empty vector.
std::uint64_t percentile(const std::vector<std::uint64_t>& sorted, std::size_t percent) {
    const std::size_t rank = (percent * sorted.size() + 99) / 100;
    return sorted[std::max<std::size_t>(rank, 1) - 1];
}

}  // namespace

LatencyWindow::LatencyWindow(std::uint64_t span_ns, std::size_t max_samples)
    : span_ns_(span_ns), max_samples_(max_samples) {}

void LatencyWindow::add(std::uint64_t now_ns, std::uint64_t value_ns) {
    samples_.push_back({now_ns, value_ns});
    while (samples_.size() > max_samples_ ||
           (!samples_.empty() && samples_.front().at_ns + span_ns_ < now_ns)) {
        samples_.pop_front();
    }
}

LatencySummary LatencyWindow::summary(std::uint64_t now_ns) const {
    std::vector<std::uint64_t> values;
    values.reserve(samples_.size());
    for (const Sample& s : samples_) {
        if (s.at_ns + span_ns_ >= now_ns) {
            values.push_back(s.value_ns);
        }
    }
    LatencySummary summary;
    if (values.empty()) {
        return summary;
    }
    std::sort(values.begin(), values.end());
    summary.count = values.size();
    summary.p50_ns = percentile(values, 50);
    summary.p99_ns = percentile(values, 99);
    summary.max_ns = values.back();
    return summary;
}

}  // namespace framebridge::app
