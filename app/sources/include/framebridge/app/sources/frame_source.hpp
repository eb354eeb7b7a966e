#pragma once

#include "framebridge/shm/segment_layout.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace framebridge::app {

/// @brief What a grab found.
enum class GrabResult {
    Frame,  ///< a frame is ready to retrieve
    End,    ///< the source has no more frames (end of a file or a finite pipeline)
    Lost,   ///< the source failed (camera unplugged, stream dropped); reopen() may bring it back
};

/// @brief Where frames come from. Grabbing and decoding are split so that a frame the ring
/// has no room for is still taken off the device, but never decoded.
class FrameSource {
public:
    virtual ~FrameSource() = default;

    /// @brief Size and pixel format of every frame this source delivers.
    virtual shm::FrameGeometry geometry() const = 0;

    /// @brief For people: what this source is, e.g. "synthetic 3840x2160 BGR8".
    virtual std::string description() const = 0;

    /// @brief Takes the next frame off the source.
    virtual GrabResult grab() = 0;

    /// @brief Writes the grabbed frame into `dst`, rows `stride` bytes apart; `seq` is the
    /// sequence number it will be published as. False when the frame could not be decoded:
    /// then it is not published.
    virtual bool retrieve(std::byte* dst, std::uint32_t stride, std::uint64_t seq) = 0;

    /// @brief What the source reported with the frame retrieve() last wrote (a camera's
    /// exposure, gain, ...); nothing by default. Called on the capture thread.
    virtual shm::FrameMetadata metadata() const { return {}; }

    /// @brief The rate to pace grabs at when none was asked for; 0 when the source paces
    /// itself (a camera, a live stream).
    virtual double natural_fps() const { return 0.0; }

    /// @brief Frames that had to be copied or converted into their slot rather than decoded
    /// straight into it. Safe to call from any thread.
    virtual std::uint64_t copies() const { return 0; }

    /// @brief Starts again at the first frame; false when the source cannot.
    virtual bool rewind() { return false; }

    /// @brief Tries to open a lost source again, with the same geometry; false if not (yet).
    virtual bool reopen() { return false; }
};

}  // namespace framebridge::app
