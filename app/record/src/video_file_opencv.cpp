#include "video_file.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <stdexcept>
#include <vector>

namespace framebridge::app {

namespace {

// x264 tuned to keep up: the fastest preset, no frames held back for B-frames or lookahead,
// a key frame every 2 s at 30 fps so a cut file still plays from near its end.
constexpr const char* X264 =
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=60 bitrate=8000";

// Quoted for gst_parse_launch, which reads the whole pipeline as one string.
std::string gst_quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

struct Attempt {
    std::string name;
    int api;
    std::string target;  ///< a GStreamer pipeline, or the file itself
    int fourcc;
};

std::vector<Attempt> attempts(const std::string& path, Container container) {
    const int none = 0;
    switch (container) {
    case Container::Mp4:
    case Container::Matroska: {
        const char* mux = container == Container::Mp4 ? "mp4mux" : "matroskamux";
        return {
            {std::string("GStreamer x264enc ! ") + mux, cv::CAP_GSTREAMER,
             std::string("appsrc ! videoconvert ! ") + X264 + " ! " + mux +
                 " ! filesink location=" + gst_quoted(path),
             none},
            {"FFmpeg H.264 (avc1)", cv::CAP_FFMPEG, path,
             cv::VideoWriter::fourcc('a', 'v', 'c', '1')},
            {"FFmpeg MPEG-4 part 2 (mp4v)", cv::CAP_FFMPEG, path,
             cv::VideoWriter::fourcc('m', 'p', '4', 'v')},
        };
    }
    case Container::Avi:
        break;
    }
    return {
        {"OpenCV MJPEG", cv::CAP_OPENCV_MJPEG, path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G')}};
}

}  // namespace

struct VideoFile::Writer {
    cv::VideoWriter writer;
    shm::FrameGeometry geometry;
    cv::Mat frame;  ///< BGR, what the encoders take
};

VideoFile::VideoFile(const std::string& path, Container container, shm::FrameGeometry geometry,
                     double fps)
    : writer_(std::make_unique<Writer>()) {
    writer_->geometry = geometry;
    writer_->frame.create(static_cast<int>(geometry.height), static_cast<int>(geometry.width),
                          CV_8UC3);
    const cv::Size size(static_cast<int>(geometry.width), static_cast<int>(geometry.height));
    std::string tried;
    for (const Attempt& attempt : attempts(path, container)) {
        // A backend that is not built in throws or says no; either way the next one is tried.
        try {
            if (writer_->writer.open(attempt.target, attempt.api, attempt.fourcc, fps, size,
                                     true)) {
                encoder_ = attempt.name;
                return;
            }
        } catch (const cv::Exception&) {
        }
        tried += (tried.empty() ? "" : ", ") + attempt.name;
    }
    throw std::runtime_error(
        "no video encoder could write '" + path + "' (tried " + tried +
        "): check that its folder exists and is writable; for H.264 install GStreamer's x264enc "
        "(Debian: gstreamer1.0-plugins-ugly), or record to a .avi file (MJPEG)");
}

VideoFile::~VideoFile() {
    close();
}

void VideoFile::take(const std::byte* pixels, std::uint32_t stride) {
    const shm::FrameGeometry& g = writer_->geometry;
    const int rows = static_cast<int>(g.height);
    const int cols = static_cast<int>(g.width);
    // The slot is only read: the const_cast is what cv::Mat's constructor asks for.
    auto* data = const_cast<std::byte*>(pixels);
    switch (g.format) {
    case shm::PixelFormat::Gray8:
        cv::cvtColor(cv::Mat(rows, cols, CV_8UC1, data, stride), writer_->frame,
                     cv::COLOR_GRAY2BGR);
        break;
    case shm::PixelFormat::Bgra8:
        cv::cvtColor(cv::Mat(rows, cols, CV_8UC4, data, stride), writer_->frame,
                     cv::COLOR_BGRA2BGR);
        break;
    default:
        cv::Mat(rows, cols, CV_8UC3, data, stride).copyTo(writer_->frame);
    }
}

void VideoFile::write() {
    writer_->writer.write(writer_->frame);
}

void VideoFile::close() {
    writer_->writer.release();
}

}  // namespace framebridge::app
