#include "framebridge/app/rtsp/encoder_choice.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

using namespace framebridge::app;

namespace {

auto only(std::set<std::string> present) {
    return [present](const std::string& element) { return present.count(element) > 0; };
}

}  // namespace

TEST(EncoderChoice, autoTakesX264OverOpenH264AndJpeg) {
    const auto sut = choose_encoder("auto", 4000, only({"jpegenc", "openh264enc", "x264enc"}));
    EXPECT_EQ(sut.element, "x264enc");
    EXPECT_EQ(sut.codec, "H.264");
    EXPECT_NE(
        sut.launch.find("tune=zerolatency speed-preset=ultrafast key-int-max=60 bitrate=4000"),
        std::string::npos)
        << sut.launch;
    EXPECT_NE(sut.launch.find("name=pay0"), std::string::npos);
}

TEST(EncoderChoice, autoTakesAHardwareEncoderFirst) {
    const auto sut = choose_encoder("auto", 4000, only({"x264enc", "vaapih264enc"}));
    EXPECT_EQ(sut.element, "vaapih264enc");
    EXPECT_TRUE(sut.hardware);
}

TEST(EncoderChoice, withoutH264EncoderAutoFallsBackToMjpeg) {
    const auto sut = choose_encoder("auto", 4000, only({"jpegenc"}));
    EXPECT_EQ(sut.codec, "MJPEG");
    EXPECT_NE(sut.launch.find("rtpjpegpay name=pay0"), std::string::npos);
}

TEST(EncoderChoice, unknownOrMissingEncoderIsRefusedByName) {
    try {
        choose_encoder("h265", 1, only({"x264enc"}));
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'h265'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(choose_encoder("nvh264enc", 1, only({"x264enc"})), std::invalid_argument);
    EXPECT_THROW(choose_encoder("auto", 1, only({})), std::invalid_argument);
}

TEST(EncoderChoice, defaultBitrateGrowsWithPixelsAndRate) {
    framebridge::shm::FrameGeometry hd{1920, 1080, framebridge::shm::PixelFormat::Bgr8};
    framebridge::shm::FrameGeometry uhd{3840, 2160, framebridge::shm::PixelFormat::Bgr8};
    EXPECT_EQ(default_bitrate_kbps(hd, 30), 6220U);
    EXPECT_GT(default_bitrate_kbps(uhd, 30), default_bitrate_kbps(hd, 30));
    EXPECT_EQ(default_bitrate_kbps(hd, 0), default_bitrate_kbps(hd, 30));
}
