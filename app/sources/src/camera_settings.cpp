#include "framebridge/app/sources/camera_settings.hpp"

#include "framebridge/app/sources/fourcc.hpp"

#include <cmath>
#include <opencv2/videoio.hpp>
#include <stdexcept>

namespace framebridge::app {

std::string wanted_fourcc(const CaptureRequest& request) {
    if (!request.fourcc.empty()) {
        return request.fourcc;
    }
    constexpr std::uint64_t FULL_HD_PIXELS = 1920 * 1080;
    if (request.size &&
        std::uint64_t{request.size->width} * request.size->height > FULL_HD_PIXELS) {
        return "MJPG";
    }
    return {};
}

CameraSettings negotiate(CameraControls& camera, const CaptureRequest& request) {
    const std::string fourcc = wanted_fourcc(request);
    if (!fourcc.empty()) {
        camera.set(cv::CAP_PROP_FOURCC, fourcc_code(fourcc));
    }
    if (request.size) {
        camera.set(cv::CAP_PROP_FRAME_WIDTH, request.size->width);
        camera.set(cv::CAP_PROP_FRAME_HEIGHT, request.size->height);
    }
    if (request.fps && *request.fps > 0) {
        camera.set(cv::CAP_PROP_FPS, *request.fps);
    }
    CameraSettings agreed;
    agreed.width = static_cast<std::uint32_t>(std::lround(camera.get(cv::CAP_PROP_FRAME_WIDTH)));
    agreed.height = static_cast<std::uint32_t>(std::lround(camera.get(cv::CAP_PROP_FRAME_HEIGHT)));
    agreed.fps = camera.get(cv::CAP_PROP_FPS);
    agreed.fourcc = fourcc_text(camera.get(cv::CAP_PROP_FOURCC));
    return agreed;
}

std::string refusal(const CaptureRequest& request, const CameraSettings& agreed) {
    if (!request.size ||
        (request.size->width == agreed.width && request.size->height == agreed.height)) {
        return {};
    }
    return "it refused " + std::to_string(request.size->width) + "x" +
           std::to_string(request.size->height) + " and offers " + std::to_string(agreed.width) +
           "x" + std::to_string(agreed.height) +
           (agreed.fourcc.empty() ? "" : " " + agreed.fourcc) +
           "; ask for that --size, or leave --size out";
}

}  // namespace framebridge::app
