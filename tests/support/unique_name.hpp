#pragma once

#include "framebridge/shm/shared_segment.hpp"

#include <atomic>
#include <string>

namespace framebridge::test {

/// @brief A stream name no other test (in this or another process) uses, so tests run in parallel.
inline std::string unique_stream_name() {
    static std::atomic<int> counter{0};
    return "fbt-" + std::to_string(shm::current_process_id()) + "-" + std::to_string(counter++);
}

}  // namespace framebridge::test
