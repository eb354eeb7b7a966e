#include "framebridge/app/sources/camera_list.hpp"

#include "framebridge/app/sources/fourcc.hpp"
#include "framebridge/app/sources/opencv_source.hpp"

#include <fmt/format.h>
#include <opencv2/videoio.hpp>

namespace framebridge::app {

std::vector<CameraInfo> list_cameras(int max_index) {
    quiet_opencv_log();
    std::vector<CameraInfo> cameras;
    for (int index = 0; index < max_index; ++index) {
        cv::VideoCapture capture;
#ifdef _WIN32
        const bool opened = capture.open(index, cv::CAP_MSMF);
#else
        const bool opened = capture.open(index, cv::CAP_V4L2);
#endif
        if (!opened) {
            continue;
        }
        CameraInfo info;
        info.index = index;
        info.backend = capture.getBackendName();
        info.defaults.width = static_cast<std::uint32_t>(capture.get(cv::CAP_PROP_FRAME_WIDTH));
        info.defaults.height = static_cast<std::uint32_t>(capture.get(cv::CAP_PROP_FRAME_HEIGHT));
        info.defaults.fps = capture.get(cv::CAP_PROP_FPS);
        info.defaults.fourcc = fourcc_text(capture.get(cv::CAP_PROP_FOURCC));
        cameras.push_back(info);
    }
    return cameras;
}

std::vector<std::string> describe_cameras(const std::vector<CameraInfo>& cameras, int max_index) {
    std::vector<std::string> lines;
    if (cameras.empty()) {
        lines.push_back(
            fmt::format("no cameras found (tried camera:0 to camera:{})", max_index - 1));
        return lines;
    }
    for (const CameraInfo& c : cameras) {
        lines.push_back(fmt::format(
            "camera:{}  {}  {}x{} {} at {:g} fps", c.index, c.backend, c.defaults.width,
            c.defaults.height, c.defaults.fourcc.empty() ? "(default encoding)" : c.defaults.fourcc,
            c.defaults.fps));
    }
    return lines;
}

}  // namespace framebridge::app
