#include "video_file.hpp"

#include <stdexcept>

namespace framebridge::app {

// Built without OpenCV (a Windows cross build): there is nothing to encode with.
struct VideoFile::Writer {};

VideoFile::VideoFile(const std::string& path, Container, shm::FrameGeometry, double) {
    throw std::runtime_error("cannot record '" + path +
                             "': this FrameBridge was built without OpenCV, which writes the "
                             "video; build it with OpenCV (Debian: libopencv-dev) to record");
}

VideoFile::~VideoFile() = default;

void VideoFile::take(const std::byte*, std::uint32_t) {}

void VideoFile::write() {}

void VideoFile::close() {}

}  // namespace framebridge::app
