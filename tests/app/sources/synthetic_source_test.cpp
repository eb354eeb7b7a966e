#include "framebridge/app/sources/synthetic_source.hpp"

#include <gtest/gtest.h>
#include <vector>

using namespace framebridge::app;
using framebridge::shm::FrameGeometry;
using framebridge::shm::PixelFormat;

namespace {

std::vector<std::byte> render(SyntheticSource& sut, std::uint64_t seq) {
    const FrameGeometry g = sut.geometry();
    std::vector<std::byte> frame(g.payload_size(), std::byte{0xee});
    EXPECT_EQ(sut.grab(), GrabResult::Frame);
    sut.retrieve(frame.data(), g.stride(), seq);
    return frame;
}

}  // namespace

class SyntheticStamp : public ::testing::TestWithParam<FrameGeometry> {};

TEST_P(SyntheticStamp, firstAndLastPixelBytesCarryTheSequenceNumber) {
    SyntheticSource sut(GetParam());
    const FrameGeometry g = GetParam();
    const std::size_t last = std::size_t{g.height - 1} * g.stride() +
                             std::size_t{g.width} * framebridge::shm::bytes_per_pixel(g.format) - 8;
    for (std::uint64_t seq : {1ull, 255ull, 0x0102030405060708ull}) {
        const auto frame = render(sut, seq);
        EXPECT_EQ(read_stamp(frame.data(), 0), seq);
        EXPECT_EQ(read_stamp(frame.data(), last), seq);
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, SyntheticStamp,
                         ::testing::Values(FrameGeometry{3840, 2160, PixelFormat::Bgr8},
                                           FrameGeometry{640, 480, PixelFormat::Bgr8},
                                           FrameGeometry{1001, 3, PixelFormat::Bgr8},
                                           FrameGeometry{8, 1, PixelFormat::Gray8},
                                           FrameGeometry{33, 5, PixelFormat::Bgra8}),
                         [](const ::testing::TestParamInfo<FrameGeometry>& param_info) {
                             const FrameGeometry& g = param_info.param;
                             return std::to_string(g.width) + "x" + std::to_string(g.height) + "_" +
                                    framebridge::shm::to_string(g.format);
                         });

TEST(SyntheticSource, thePatternMovesFromFrameToFrame) {
    SyntheticSource sut({320, 240, PixelFormat::Bgr8});
    auto a = render(sut, 10);
    auto b = render(sut, 11);
    // Compare past the stamps: the picture itself must change.
    EXPECT_FALSE(std::equal(a.begin() + 8, a.begin() + 960 * 100, b.begin() + 8));
}

TEST(SyntheticSource, rowPaddingIsLeftUntouched) {
    SyntheticSource sut({1001, 2, PixelFormat::Bgr8});
    const auto frame = render(sut, 3);
    EXPECT_EQ(frame[3003], std::byte{0xee});
    EXPECT_EQ(frame[3007], std::byte{0xee});
}

TEST(SyntheticSource, refusesRowsTooShortForTheStamp) {
    EXPECT_THROW(SyntheticSource({2, 2, PixelFormat::Bgr8}), std::invalid_argument);
    EXPECT_THROW(SyntheticSource({7, 2, PixelFormat::Gray8}), std::invalid_argument);
}

TEST(SyntheticSource, describesItself) {
    SyntheticSource sut({640, 480, PixelFormat::Bgr8});
    EXPECT_EQ(sut.description(), "synthetic 640x480 BGR8");
}
