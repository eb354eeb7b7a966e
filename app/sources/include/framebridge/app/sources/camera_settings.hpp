#pragma once
// Asking a camera for a size, rate and pixel encoding, and reading back what it agreed to.
// Kept apart from cv::VideoCapture behind CameraControls so the mapping is tested without a
// camera.

#include "framebridge/app/sources/capture_request.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace framebridge::app {

/// @brief The property interface of a capture device (cv::VideoCapture's set/get).
class CameraControls {
public:
    virtual ~CameraControls() = default;
    virtual bool set(int property, double value) = 0;
    virtual double get(int property) const = 0;
};

/// @brief What a camera agreed to.
struct CameraSettings {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    double fps = 0.0;
    std::string fourcc;
};

/// @brief The encoding to ask for: the requested one, else MJPG above 1080p (raw 4K30 does not
/// fit USB 3 bandwidth), else none (the device's default).
std::string wanted_fourcc(const CaptureRequest& request);

/// @brief Asks `camera` for what `request` says (encoding first: it limits the sizes and rates
/// a device offers, then size, then rate) and reads back what it agreed to.
CameraSettings negotiate(CameraControls& camera, const CaptureRequest& request);

/// @brief Why the agreed settings do not serve the request ("" when they do): only a size the
/// user asked for is binding; rate and encoding are the device's to choose.
std::string refusal(const CaptureRequest& request, const CameraSettings& agreed);

}  // namespace framebridge::app
