#pragma once

#include "framebridge/shm/segment_layout.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace framebridge::app {

/// @brief How an RTSP stream is encoded: a GStreamer launch fragment from I420 frames to an
/// RTP payloader named pay0.
struct EncoderChoice {
    std::string element;  ///< e.g. "x264enc"
    std::string codec;    ///< "H.264" or "MJPEG"
    std::string launch;   ///< "ELEMENT name=enc ... ! ... ! PAYLOADER name=pay0 pt=N"
    bool hardware = false;
};

/// @brief The encoders --rtsp-encoder takes besides "auto", best first: hardware H.264, x264,
/// openh264, then JPEG.
const std::vector<std::string>& known_encoders();

/// @brief The encoder `wanted` names ("auto": the first of known_encoders() that `available`
/// says GStreamer has), set to `bitrate_kbps` (JPEG: a fixed high quality instead). Throws
/// std::invalid_argument naming `wanted` when it is unknown or not available.
EncoderChoice choose_encoder(const std::string& wanted, std::uint32_t bitrate_kbps,
                             const std::function<bool(const std::string&)>& available);

/// @brief A bitrate that keeps detail and the stamp band sharp: 0.1 bit per pixel per frame.
std::uint32_t default_bitrate_kbps(const shm::FrameGeometry& geometry, double fps);

}  // namespace framebridge::app
