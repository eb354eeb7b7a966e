#pragma once

#include <cstdint>
#include <deque>

namespace framebridge::ui {

/// @brief The rate of a counter that only grows (e.g. a client's results sent), from its
/// readings over about the last second. Times are passed in, so it is tested without a clock.
class CounterRate {
public:
    /// @brief The counter reads `total` at `now_ms`.
    void add(std::int64_t now_ms, std::uint64_t total);
    /// @brief Per second between the oldest reading of the last second (or the one just before
    /// it) and the newest; 0 before two readings.
    double per_second() const;

private:
    struct Reading {
        std::int64_t at_ms;
        std::uint64_t total;
    };
    std::deque<Reading> readings_;
};

}  // namespace framebridge::ui
