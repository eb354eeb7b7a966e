#include "framebridge/app/sources/source_factory.hpp"

#include <gtest/gtest.h>

using namespace framebridge::app;
using framebridge::shm::FrameGeometry;
using framebridge::shm::PixelFormat;

TEST(SourceFactory, theSyntheticSourceTakesTheRequestedSizeOr4k) {
    CaptureRequest request;
    EXPECT_EQ(make_source("synthetic", request)->geometry().width, 3840u);
    request.size = FrameGeometry{64, 8, PixelFormat::Bgr8};
    const auto sut = make_source("synthetic", request);
    EXPECT_EQ(sut->geometry().width, 64u);
    EXPECT_EQ(sut->geometry().height, 8u);
    EXPECT_EQ(sut->natural_fps(), 30.0);
}

TEST(SourceFactory, aBadSpecIsNamed) {
    try {
        make_source("camera:x", CaptureRequest{});
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("camera:x"), std::string::npos);
    }
}
