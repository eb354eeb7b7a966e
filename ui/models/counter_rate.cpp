#include "models/counter_rate.hpp"

namespace framebridge::ui {

namespace {
constexpr std::int64_t WINDOW_MS = 1000;
}

void CounterRate::add(std::int64_t now_ms, std::uint64_t total) {
    readings_.push_back({now_ms, total});
    // The reading just before the window stays: with readings every 250 ms the rate then spans a
    // whole second.
    while (readings_.size() > 2 && readings_[1].at_ms <= now_ms - WINDOW_MS) {
        readings_.pop_front();
    }
}

double CounterRate::per_second() const {
    if (readings_.size() < 2) {
        return 0.0;
    }
    const Reading& first = readings_.front();
    const Reading& last = readings_.back();
    if (last.at_ms <= first.at_ms || last.total < first.total) {
        return 0.0;
    }
    return static_cast<double>(last.total - first.total) * 1000.0 /
           static_cast<double>(last.at_ms - first.at_ms);
}

}  // namespace framebridge::ui
