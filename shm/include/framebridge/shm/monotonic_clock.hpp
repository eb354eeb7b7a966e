#pragma once

#include <chrono>
#include <cstdint>

namespace framebridge::shm {

/// @brief Nanoseconds of the host's monotonic clock: the one Python's time.perf_counter_ns() reads.
inline std::uint64_t monotonic_now_ns() noexcept {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

}  // namespace framebridge::shm
