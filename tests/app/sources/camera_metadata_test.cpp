#include "framebridge/app/sources/camera_metadata.hpp"

#include <gtest/gtest.h>
#include <cmath>
#include <map>
#include <opencv2/videoio.hpp>
#include <vector>

using namespace framebridge::app;
using framebridge::shm::FrameMetadata;
using framebridge::shm::MetadataKey;

namespace {

// A camera as the V4L2 backend answers: -1 for a property it does not support; every read
// is counted.
class ReportingCamera : public CameraControls {
public:
    bool set(int, double) override { return false; }
    double get(int property) const override {
        asked.push_back(property);
        const auto found = properties.find(property);
        return found == properties.end() ? -1.0 : found->second;
    }

    std::map<int, double> properties{{cv::CAP_PROP_EXPOSURE, 156},
                                     {cv::CAP_PROP_GAIN, 0},
                                     {cv::CAP_PROP_BRIGHTNESS, -12},
                                     {cv::CAP_PROP_FPS, 30}};
    mutable std::vector<int> asked;
};

std::map<MetadataKey, double> reported(const FrameMetadata& metadata) {
    std::map<MetadataKey, double> values;
    for (std::uint32_t k = 0; k < framebridge::shm::METADATA_KEYS; ++k) {
        if (const auto value = metadata.get(static_cast<MetadataKey>(k))) {
            values[static_cast<MetadataKey>(k)] = *value;
        }
    }
    return values;
}

}  // namespace

TEST(CameraMetadata, reportsWhatTheCameraReportsAndNothingItDoesNot) {
    ReportingCamera camera;
    CameraMetadataReader sut(camera);

    const std::map<MetadataKey, double> expected{{MetadataKey::Exposure, 156},
                                                 {MetadataKey::Gain, 0},
                                                 {MetadataKey::Brightness, -12},
                                                 {MetadataKey::Fps, 30}};
    EXPECT_EQ(reported(sut.next_frame()), expected);
}

TEST(CameraMetadata, eachKeyIsReadFromItsOpenCvProperty) {
    EXPECT_EQ(opencv_property(MetadataKey::Exposure), cv::CAP_PROP_EXPOSURE);
    EXPECT_EQ(opencv_property(MetadataKey::WhiteBalanceTemperature), cv::CAP_PROP_WB_TEMPERATURE);
    EXPECT_EQ(opencv_property(MetadataKey::AutoWhiteBalance), cv::CAP_PROP_AUTO_WB);
    EXPECT_EQ(opencv_property(MetadataKey::Fps), cv::CAP_PROP_FPS);
}

TEST(CameraMetadata, minusOneAndNonFiniteValuesAreNotReported) {
    EXPECT_FALSE(is_reported(-1.0));
    EXPECT_FALSE(is_reported(std::nan("")));
    EXPECT_FALSE(is_reported(HUGE_VAL));
    EXPECT_TRUE(is_reported(0.0));
    EXPECT_TRUE(is_reported(-2.0));
}

TEST(CameraMetadata, aFrameAsksOnePropertyAndOnlyOneTheCameraReports) {
    ReportingCamera camera;
    CameraMetadataReader sut(camera);
    camera.asked.clear();

    std::vector<int> asked;
    for (int frame = 0; frame < 8; ++frame) {
        sut.next_frame();
        ASSERT_EQ(camera.asked.size(), 1u) << "frame " << frame;
        asked.push_back(camera.asked.front());
        camera.asked.clear();
    }

    EXPECT_EQ(asked,
              (std::vector<int>{cv::CAP_PROP_EXPOSURE, cv::CAP_PROP_GAIN, cv::CAP_PROP_BRIGHTNESS,
                                cv::CAP_PROP_FPS, cv::CAP_PROP_EXPOSURE, cv::CAP_PROP_GAIN,
                                cv::CAP_PROP_BRIGHTNESS, cv::CAP_PROP_FPS}));
}

TEST(CameraMetadata, aChangedValueIsReportedWithinAsManyFramesAsKeysAreReported) {
    ReportingCamera camera;
    CameraMetadataReader sut(camera);
    camera.properties[cv::CAP_PROP_GAIN] = 8;

    for (int frame = 0; frame < 4; ++frame) {
        sut.next_frame();
    }

    EXPECT_EQ(sut.next_frame().get(MetadataKey::Gain), 8.0);
}

TEST(CameraMetadata, aKeyTheCameraStopsReportingIsNoLongerReported) {
    ReportingCamera camera;
    CameraMetadataReader sut(camera);
    camera.properties.erase(cv::CAP_PROP_EXPOSURE);

    const FrameMetadata& metadata = sut.next_frame();

    EXPECT_FALSE(metadata.get(MetadataKey::Exposure));
    EXPECT_EQ(metadata.get(MetadataKey::Gain), 0.0);
}

TEST(CameraMetadata, aCameraThatReportsNothingIsNeverAskedAgain) {
    ReportingCamera camera;
    camera.properties.clear();
    CameraMetadataReader sut(camera);
    camera.asked.clear();

    EXPECT_EQ(sut.next_frame().reported, 0u);
    EXPECT_TRUE(camera.asked.empty());
}
