#include "framebridge/app/sources/camera_metadata.hpp"

#include <cmath>
#include <opencv2/videoio.hpp>

namespace framebridge::app {

int opencv_property(shm::MetadataKey key) noexcept {
    switch (key) {
    case shm::MetadataKey::Exposure:
        return cv::CAP_PROP_EXPOSURE;
    case shm::MetadataKey::Gain:
        return cv::CAP_PROP_GAIN;
    case shm::MetadataKey::Brightness:
        return cv::CAP_PROP_BRIGHTNESS;
    case shm::MetadataKey::Contrast:
        return cv::CAP_PROP_CONTRAST;
    case shm::MetadataKey::Saturation:
        return cv::CAP_PROP_SATURATION;
    case shm::MetadataKey::Hue:
        return cv::CAP_PROP_HUE;
    case shm::MetadataKey::Sharpness:
        return cv::CAP_PROP_SHARPNESS;
    case shm::MetadataKey::Gamma:
        return cv::CAP_PROP_GAMMA;
    case shm::MetadataKey::WhiteBalanceTemperature:
        return cv::CAP_PROP_WB_TEMPERATURE;
    case shm::MetadataKey::Focus:
        return cv::CAP_PROP_FOCUS;
    case shm::MetadataKey::Zoom:
        return cv::CAP_PROP_ZOOM;
    case shm::MetadataKey::Backlight:
        return cv::CAP_PROP_BACKLIGHT;
    case shm::MetadataKey::IsoSpeed:
        return cv::CAP_PROP_ISO_SPEED;
    case shm::MetadataKey::AutoExposure:
        return cv::CAP_PROP_AUTO_EXPOSURE;
    case shm::MetadataKey::AutoWhiteBalance:
        return cv::CAP_PROP_AUTO_WB;
    case shm::MetadataKey::Fps:
        return cv::CAP_PROP_FPS;
    }
    return -1;
}

bool is_reported(double value) noexcept {
    return std::isfinite(value) && value != -1.0;
}

CameraMetadataReader::CameraMetadataReader(const CameraControls& camera) : camera_(camera) {
    for (std::uint32_t k = 0; k < shm::METADATA_KEYS; ++k) {
        const auto key = static_cast<shm::MetadataKey>(k);
        read(key);
        if (metadata_.get(key)) {
            asked_.push_back(key);
        }
    }
}

const shm::FrameMetadata& CameraMetadataReader::next_frame() {
    if (!asked_.empty()) {
        read(asked_[next_]);
        next_ = (next_ + 1) % asked_.size();
    }
    return metadata_;
}

// A key that stops being reported (a control the driver made inactive) is cleared, not left
// at its last value.
void CameraMetadataReader::read(shm::MetadataKey key) {
    const double value = camera_.get(opencv_property(key));
    if (is_reported(value)) {
        metadata_.set(key, value);
    } else {
        metadata_.clear(key);
    }
}

}  // namespace framebridge::app
