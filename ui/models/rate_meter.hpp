#pragma once

#include <cstdint>
#include <deque>

namespace framebridge::ui {

/// @brief Events per second over the last second, e.g. the frames the preview showed. Times are
/// passed in, so it is tested without a clock.
class RateMeter {
public:
    void add(std::int64_t now_ms);
    double per_second(std::int64_t now_ms);

private:
    std::deque<std::int64_t> events_ms_;
};

}  // namespace framebridge::ui
