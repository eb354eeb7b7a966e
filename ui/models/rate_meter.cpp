#include "models/rate_meter.hpp"

namespace framebridge::ui {

namespace {
constexpr std::int64_t WINDOW_MS = 1000;
}

void RateMeter::add(std::int64_t now_ms) {
    events_ms_.push_back(now_ms);
    per_second(now_ms);  // drops what left the window, so the queue stays a second long
}

double RateMeter::per_second(std::int64_t now_ms) {
    while (!events_ms_.empty() && events_ms_.front() <= now_ms - WINDOW_MS) {
        events_ms_.pop_front();
    }
    return static_cast<double>(events_ms_.size()) * 1000.0 / static_cast<double>(WINDOW_MS);
}

}  // namespace framebridge::ui
