#pragma once

#include "framebridge/shm/segment_layout.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace framebridge::app {

/// @brief Where frames come from. Grabbing and decoding are split so that a frame the ring
/// has no room for is still taken off the device, but never decoded.
class FrameSource {
public:
    virtual ~FrameSource() = default;

    /// @brief Size and pixel format of every frame this source delivers.
    virtual shm::FrameGeometry geometry() const = 0;

    /// @brief For people: what this source is, e.g. "synthetic 3840x2160 BGR8".
    virtual std::string description() const = 0;

    /// @brief Takes the next frame; false when the source has no more.
    virtual bool grab() = 0;

    /// @brief Writes the grabbed frame into `dst`, rows `stride` bytes apart; `seq` is the
    /// sequence number it will be published as.
    virtual void retrieve(std::byte* dst, std::uint32_t stride, std::uint64_t seq) = 0;
};

}  // namespace framebridge::app
