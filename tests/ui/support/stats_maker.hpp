#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"

#include <string>

namespace framebridge::ui::test {

/// @brief A client's statistics with publish->ready p50/p99 of `p50_us`/`p99_us` microseconds.
inline app::ClientStats client_stats(std::uint32_t id, const std::string& name,
                                     std::uint64_t p50_us = 250, std::uint64_t p99_us = 900) {
    app::ClientStats client;
    client.id = id;
    client.name = name;
    client.pid = 1000 + id;
    client.frames = 10 * id;
    client.skipped = id;
    client.ready = {5, p50_us * 1000, p99_us * 1000, p99_us * 1000};
    client.hold = {5, 1'000'000, 2'000'000, 2'000'000};
    return client;
}

}  // namespace framebridge::ui::test
