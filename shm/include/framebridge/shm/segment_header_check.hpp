#pragma once
// Judging a segment header found in memory: before trusting one we opened, and
// when our name is already taken at start-up.

#include <cstddef>
#include <cstdint>
#include <string>

namespace framebridge::shm {

/// @brief What `bytes` says about its header: "" if it follows the layout, else what is wrong.
std::string check_header(const std::byte* bytes, std::uint64_t size);

/// @brief Whose a segment found under our name is.
enum class ExistingSegment {
    Stale,    ///< a FrameBridge producer made it and is gone, or it never got a header
    Live,     ///< its FrameBridge producer still runs
    Foreign,  ///< something else made it
};

struct ExistingVerdict {
    ExistingSegment kind = ExistingSegment::Stale;
    std::uint32_t producer_pid = 0;
};

/// @brief Classifies a segment that already holds the name we want.
ExistingVerdict check_existing_header(const std::byte* bytes, std::uint64_t size) noexcept;

}  // namespace framebridge::shm
