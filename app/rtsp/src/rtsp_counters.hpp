#pragma once

#include <atomic>
#include <cstdint>

namespace framebridge::app {

// Counted by every stream's feed, on GStreamer's and the feeds' threads; read by stats().
struct RtspCounters {
    std::atomic<std::uint32_t> clients{0};
    std::atomic<std::uint64_t> frames{0};
    std::atomic<std::uint64_t> skipped{0};
    std::atomic<std::uint64_t> unstamped{0};
    std::atomic<std::uint32_t> held{0};
    std::atomic<std::uint32_t> held_max{0};
    std::atomic<std::uint64_t> encoded{0};
    std::atomic<std::uint64_t> encode_ns{0};

    void hold() {
        const std::uint32_t now = held.fetch_add(1) + 1;
        std::uint32_t most = held_max.load();
        while (now > most && !held_max.compare_exchange_weak(most, now)) {
        }
    }
};

}  // namespace framebridge::app
