#pragma once

#include "framebridge/app/sources/capture_request.hpp"
#include "framebridge/app/sources/frame_source.hpp"
#include "framebridge/app/sources/source_spec.hpp"

#include <atomic>
#include <memory>
#include <stdexcept>

namespace framebridge::app {

/// @brief A source could not be opened; what() names it and says what failed.
class SourceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// @brief Silences OpenCV's own log: what it says (a camera index that does not open, a file
/// no backend reads) our errors say once, naming the source.
void quiet_opencv_log();

/// @brief Cameras, files, network streams and GStreamer pipelines through cv::VideoCapture.
/// Each grabbed frame is retrieved into a cv::Mat over the slot itself, so the backend writes
/// the pixels straight into shared memory; where it cannot (another size or format), the
/// frame is converted into the slot once and counted in copies().
class OpenCvSource : public FrameSource {
public:
    /// @brief Opens `spec` and reads its first frame to learn what it delivers.
    /// Throws SourceError naming the source and what failed.
    OpenCvSource(const SourceSpec& spec, const CaptureRequest& request);
    ~OpenCvSource() override;

    shm::FrameGeometry geometry() const override;
    std::string description() const override;
    GrabResult grab() override;
    bool retrieve(std::byte* dst, std::uint32_t stride, std::uint64_t seq) override;
    /// @brief A camera: what it reports (CameraMetadataReader); a file: its frame rate;
    /// a network stream or a pipeline: nothing.
    shm::FrameMetadata metadata() const override;
    double natural_fps() const override;
    std::uint64_t copies() const override;
    bool rewind() override;
    bool reopen() override;

private:
    struct Device;
    void open_device();

    SourceSpec spec_;
    CaptureRequest request_;
    std::unique_ptr<Device> device_;
    shm::FrameGeometry geometry_;
    double natural_fps_ = 0.0;
    std::string negotiated_;
    shm::FrameMetadata metadata_;
    std::atomic<std::uint64_t> copies_{0};
};

}  // namespace framebridge::app
