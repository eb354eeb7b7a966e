#include "framebridge/app/sources/camera_settings.hpp"

#include "framebridge/app/sources/fourcc.hpp"

#include <gtest/gtest.h>
#include <map>
#include <opencv2/videoio.hpp>
#include <vector>

using namespace framebridge::app;
using framebridge::shm::FrameGeometry;
using framebridge::shm::PixelFormat;

namespace {

// A camera that agrees to what it is asked within what it has, and remembers the order of
// the requests.
class FakeCamera : public CameraControls {
public:
    bool set(int property, double value) override {
        requests.emplace_back(property, value);
        if (property == cv::CAP_PROP_FRAME_WIDTH && value > max_width) {
            value = max_width;
        }
        if (property == cv::CAP_PROP_FRAME_HEIGHT && value > max_height) {
            value = max_height;
        }
        properties[property] = value;
        return true;
    }
    double get(int property) const override {
        const auto found = properties.find(property);
        return found == properties.end() ? 0.0 : found->second;
    }

    double max_width = 3840;
    double max_height = 2160;
    std::map<int, double> properties{{cv::CAP_PROP_FRAME_WIDTH, 640},
                                     {cv::CAP_PROP_FRAME_HEIGHT, 480},
                                     {cv::CAP_PROP_FPS, 30},
                                     {cv::CAP_PROP_FOURCC, fourcc_code("YUYV")}};
    std::vector<std::pair<int, double>> requests;
};

CaptureRequest asking(std::uint32_t width, std::uint32_t height, double fps = 0,
                      const std::string& fourcc = "") {
    CaptureRequest request;
    request.size = FrameGeometry{width, height, PixelFormat::Bgr8};
    if (fps > 0) {
        request.fps = fps;
    }
    request.fourcc = fourcc;
    return request;
}

}  // namespace

TEST(Fourcc, codesAndLettersRoundTrip) {
    EXPECT_EQ(fourcc_code("MJPG"), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
    EXPECT_EQ(fourcc_text(fourcc_code("YUYV")), "YUYV");
    EXPECT_EQ(fourcc_text(0), "");
    EXPECT_THROW(fourcc_code("MJPEG"), std::invalid_argument);
    EXPECT_THROW(fourcc_code("MJ\tG"), std::invalid_argument);
}

TEST(CameraSettings, above1080pMjpgIsAskedForUnlessAnotherEncodingIs) {
    EXPECT_EQ(wanted_fourcc(asking(3840, 2160)), "MJPG");
    EXPECT_EQ(wanted_fourcc(asking(1920, 1080)), "");
    EXPECT_EQ(wanted_fourcc(asking(3840, 2160, 0, "YUYV")), "YUYV");
    EXPECT_EQ(wanted_fourcc(CaptureRequest{}), "");
}

TEST(CameraSettings, encodingIsAskedFirstThenSizeThenRate) {
    FakeCamera camera;
    negotiate(camera, asking(3840, 2160, 30));
    const std::vector<int> order = {cv::CAP_PROP_FOURCC, cv::CAP_PROP_FRAME_WIDTH,
                                    cv::CAP_PROP_FRAME_HEIGHT, cv::CAP_PROP_FPS};
    ASSERT_EQ(camera.requests.size(), order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        EXPECT_EQ(camera.requests[i].first, order[i]) << i;
    }
    EXPECT_EQ(camera.requests[0].second, fourcc_code("MJPG"));
}

TEST(CameraSettings, nothingAskedMeansNothingSetAndTheDefaultsAreReadBack) {
    FakeCamera camera;
    const CameraSettings agreed = negotiate(camera, CaptureRequest{});
    EXPECT_TRUE(camera.requests.empty());
    EXPECT_EQ(agreed.width, 640u);
    EXPECT_EQ(agreed.height, 480u);
    EXPECT_EQ(agreed.fps, 30.0);
    EXPECT_EQ(agreed.fourcc, "YUYV");
    EXPECT_EQ(refusal(CaptureRequest{}, agreed), "");
}

TEST(CameraSettings, whatTheCameraAgreedToIsReadBack) {
    FakeCamera camera;
    const CameraSettings agreed = negotiate(camera, asking(1280, 720, 60));
    EXPECT_EQ(agreed.width, 1280u);
    EXPECT_EQ(agreed.height, 720u);
    EXPECT_EQ(agreed.fps, 60.0);
    EXPECT_EQ(refusal(asking(1280, 720, 60), agreed), "");
}

TEST(CameraSettings, aSizeTheCameraRefusesIsNamedWithWhatItOffers) {
    FakeCamera camera;
    camera.max_width = 1920;
    camera.max_height = 1080;
    const CaptureRequest request = asking(3840, 2160);
    const std::string why = refusal(request, negotiate(camera, request));
    EXPECT_NE(why.find("refused 3840x2160"), std::string::npos) << why;
    EXPECT_NE(why.find("offers 1920x1080 MJPG"), std::string::npos) << why;
}
