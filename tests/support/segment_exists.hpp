#pragma once

#include "framebridge/shm/shared_segment.hpp"

#include <string>

namespace framebridge::test {

/// @brief Whether a segment named `name` can be opened now; any other failure than "not found"
/// is the test's problem and is thrown.
inline bool segment_exists(const std::string& name) {
    try {
        shm::SharedSegment::open(name, false);
        return true;
    } catch (const shm::SegmentError& e) {
        if (e.reason() != shm::SegmentError::Reason::NotFound) {
            throw;
        }
        return false;
    }
}

}  // namespace framebridge::test
