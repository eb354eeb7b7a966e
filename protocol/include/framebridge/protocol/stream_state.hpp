#pragma once

#include <cstdint>

namespace framebridge::protocol {

/// @brief Whether frames are coming: the STREAM message's state, and the capture's.
/// A peer may meet a value not listed here (a newer server): it reads as not live.
enum class StreamState : std::uint32_t {
    Live = 1,   ///< frames are coming
    Ended = 2,  ///< the source has no more frames (end of file without --loop)
    Lost = 3,   ///< the source failed; the capture is trying to open it again
};

/// @brief "live", "ended", "lost", or "unknown" for a value this build does not know.
const char* to_string(StreamState state) noexcept;

}  // namespace framebridge::protocol
