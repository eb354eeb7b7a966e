#include "framebridge/app/sources/opencv_source.hpp"

#include "framebridge/app/sources/camera_metadata.hpp"
#include "framebridge/app/sources/camera_settings.hpp"

#ifdef FRAMEBRIDGE_HAVE_GSTREAMER
#include "framebridge/app/sources/gst_pipeline_check.hpp"
#include "gst_noise_to_log.hpp"
#endif

#include <filesystem>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <optional>

namespace framebridge::app {
namespace {

constexpr int NETWORK_TIMEOUT_MS = 5000;

#ifdef _WIN32
constexpr int CAMERA_BACKEND = cv::CAP_MSMF;
#else
constexpr int CAMERA_BACKEND = cv::CAP_V4L2;
#endif

// OpenCV's GStreamer backend reads from an appsink; a pipeline without one gets BGR frames
// through one, so `gst:videotestsrc` works as typed.
std::string with_appsink(const std::string& pipeline) {
    if (pipeline.find("appsink") != std::string::npos) {
        return pipeline;
    }
    return pipeline + " ! videoconvert ! video/x-raw,format=BGR ! appsink drop=false";
}

class VideoCaptureControls : public CameraControls {
public:
    explicit VideoCaptureControls(cv::VideoCapture& capture) : capture_(capture) {}
    bool set(int property, double value) override { return capture_.set(property, value); }
    double get(int property) const override { return capture_.get(property); }

private:
    cv::VideoCapture& capture_;
};

// Writes any 8-bit frame into the BGR slot, converting and resizing as needed: the one copy a
// backend that cannot decode into the slot costs.
void convert_into(const cv::Mat& frame, cv::Mat& slot) {
    cv::Mat bgr;
    if (frame.type() == CV_8UC3) {
        bgr = frame;
    } else if (frame.type() == CV_8UC1) {
        cv::cvtColor(frame, bgr, cv::COLOR_GRAY2BGR);
    } else if (frame.type() == CV_8UC4) {
        cv::cvtColor(frame, bgr, cv::COLOR_BGRA2BGR);
    } else {
        throw SourceError("frames of OpenCV type " + std::to_string(frame.type()) +
                          " cannot be shown as BGR");
    }
    if (bgr.size() == slot.size()) {
        bgr.copyTo(slot);
    } else {
        cv::resize(bgr, slot, slot.size(), 0, 0, cv::INTER_AREA);
    }
}

}  // namespace

void quiet_opencv_log() {
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
}

struct OpenCvSource::Device {
    cv::VideoCapture capture;
    VideoCaptureControls controls{capture};
    std::optional<CameraMetadataReader> camera_metadata;  ///< a camera's only
    std::optional<cv::Mat> first_frame;  ///< read at open to learn the geometry, served first
};

OpenCvSource::OpenCvSource(const SourceSpec& spec, const CaptureRequest& request)
    : spec_(spec), request_(request) {
    quiet_opencv_log();
    if (spec_.kind == SourceSpec::Kind::File && !std::filesystem::exists(spec_.target)) {
        // A bare word ("webcam", "usb") was most likely meant as a camera.
        const bool bare_word = spec_.target.find_first_of("./\\") == std::string::npos;
        throw SourceError(spec_.describe() + ": no such file" +
                          (bare_word ? "; a camera is camera:N (camera:0 is the first; "
                                       "--list-cameras lists them)"
                                     : ""));
    }
    open_device();
}

OpenCvSource::~OpenCvSource() = default;

void OpenCvSource::open_device() {
    auto device = std::make_unique<Device>();
    cv::VideoCapture& capture = device->capture;
    const std::vector<int> network_timeouts = {cv::CAP_PROP_OPEN_TIMEOUT_MSEC, NETWORK_TIMEOUT_MS,
                                               cv::CAP_PROP_READ_TIMEOUT_MSEC, NETWORK_TIMEOUT_MS};
    bool opened = false;
#ifdef FRAMEBRIDGE_HAVE_GSTREAMER
    const GstNoiseToLog quiet;
#endif
    try {
        switch (spec_.kind) {
        case SourceSpec::Kind::Camera:
            opened = capture.open(spec_.camera_index, CAMERA_BACKEND);
            break;
        case SourceSpec::Kind::File:
            opened = capture.open(spec_.target, cv::CAP_ANY);
            break;
        case SourceSpec::Kind::Url:
            opened = capture.open(spec_.target, cv::CAP_FFMPEG, network_timeouts);
            break;
        case SourceSpec::Kind::GStreamer:
#ifdef FRAMEBRIDGE_HAVE_GSTREAMER
            if (const std::string problem = gst_pipeline_problem(with_appsink(spec_.target));
                !problem.empty()) {
                throw SourceError(spec_.describe() + ": " + problem);
            }
#endif
            opened = capture.open(with_appsink(spec_.target), cv::CAP_GSTREAMER);
            break;
        case SourceSpec::Kind::Synthetic:
            break;
        }
    } catch (const cv::Exception& e) {
        throw SourceError(spec_.describe() + ": " + e.err);
    }
    if (!opened) {
        const char* hint = spec_.kind == SourceSpec::Kind::Camera
                               ? ": no such camera (framebridge-server --list-cameras lists them)"
                           : spec_.kind == SourceSpec::Kind::GStreamer
                               ? ": the pipeline does not start (check it with gst-launch-1.0)"
                           : spec_.kind == SourceSpec::Kind::Url
                               ? ": cannot connect or not a video"
                               : ": not a video OpenCV can decode";
        throw SourceError(spec_.describe() + hint);
    }
    if (spec_.kind == SourceSpec::Kind::Camera) {
        const CameraSettings agreed = negotiate(device->controls, request_);
        if (const std::string why = refusal(request_, agreed); !why.empty()) {
            throw SourceError(spec_.describe() + ": " + why);
        }
        negotiated_ = std::to_string(agreed.width) + "x" + std::to_string(agreed.height) + " " +
                      (agreed.fourcc.empty() ? "default encoding" : agreed.fourcc) + " at " +
                      std::to_string(agreed.fps) + " fps";
    }
    cv::Mat first;
    if (!capture.read(first) || first.empty()) {
        throw SourceError(spec_.describe() + ": opened, but no frame could be read from it");
    }
    const shm::FrameGeometry found{static_cast<std::uint32_t>(first.cols),
                                   static_cast<std::uint32_t>(first.rows), shm::PixelFormat::Bgr8};
    if (device_ && (found.width != geometry_.width || found.height != geometry_.height)) {
        throw SourceError(spec_.describe() + " came back at " + std::to_string(found.width) + "x" +
                          std::to_string(found.height) + " instead of " +
                          std::to_string(geometry_.width) + "x" + std::to_string(geometry_.height));
    }
    geometry_ = found;
    shm::validate_geometry(geometry_);
    const double reported_fps = capture.get(cv::CAP_PROP_FPS);
    natural_fps_ = spec_.kind == SourceSpec::Kind::File && reported_fps > 0 ? reported_fps : 0.0;
    metadata_ = {};
    if (natural_fps_ > 0) {
        metadata_.set(shm::MetadataKey::Fps, natural_fps_);
    }
    if (spec_.kind == SourceSpec::Kind::Camera) {
        device->camera_metadata.emplace(device->controls);
    }
    device->first_frame = std::move(first);
    device_ = std::move(device);
}

shm::FrameGeometry OpenCvSource::geometry() const {
    return geometry_;
}

std::string OpenCvSource::description() const {
    std::string text = spec_.describe() + " " + std::to_string(geometry_.width) + "x" +
                       std::to_string(geometry_.height) + " BGR8";
    if (!negotiated_.empty()) {
        text += " (device agreed to " + negotiated_ + ")";
    }
    return text;
}

GrabResult OpenCvSource::grab() {
    if (device_->first_frame) {
        return GrabResult::Frame;
    }
    if (device_->capture.grab()) {
        return GrabResult::Frame;
    }
    const bool finite =
        spec_.kind == SourceSpec::Kind::File || spec_.kind == SourceSpec::Kind::GStreamer;
    return finite ? GrabResult::End : GrabResult::Lost;
}

bool OpenCvSource::retrieve(std::byte* dst, std::uint32_t stride, std::uint64_t) {
    if (device_->camera_metadata) {
        metadata_ = device_->camera_metadata->next_frame();
    }
    cv::Mat slot(static_cast<int>(geometry_.height), static_cast<int>(geometry_.width), CV_8UC3,
                 dst, stride);
    if (device_->first_frame) {
        convert_into(*device_->first_frame, slot);
        device_->first_frame.reset();
        ++copies_;
        return true;
    }
    cv::Mat decoded = slot;
    if (!device_->capture.retrieve(decoded) || decoded.empty()) {
        return false;
    }
    if (decoded.data != slot.data) {
        convert_into(decoded, slot);
        ++copies_;
    }
    return true;
}

shm::FrameMetadata OpenCvSource::metadata() const {
    return metadata_;
}

double OpenCvSource::natural_fps() const {
    return natural_fps_;
}

std::uint64_t OpenCvSource::copies() const {
    return copies_.load();
}

bool OpenCvSource::rewind() {
    if (spec_.kind != SourceSpec::Kind::File) {
        return false;
    }
    return reopen();
}

bool OpenCvSource::reopen() {
    try {
        open_device();
        return true;
    } catch (const SourceError&) {
        return false;
    }
}

}  // namespace framebridge::app
