#include "framebridge/app/rtsp/stamp_band.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace framebridge::app;

namespace {

struct Band {
    explicit Band(std::uint32_t band_width)
        : width(band_width),
          stride(band_width + 7),
          rows(stamp_band_height(band_width)),
          luma(stride * rows) {}
    std::uint32_t width;
    std::size_t stride;
    std::uint32_t rows;
    std::vector<std::uint8_t> luma;
};

}  // namespace

TEST(StampBand, aStampWrittenIsReadBackAtEveryWidth) {
    for (const std::uint32_t width : {16U, 64U, 320U, 640U, 1920U, 3840U}) {
        Band sut(width);
        const Stamp stamp{0x1234'5678'9ABCULL, 0xFEDC'BA98'7654ULL, 0x0017'0000'1234'5678ULL};
        write_stamp(sut.luma.data(), sut.stride, width, stamp);

        const auto read = read_stamp(sut.luma.data(), sut.stride, width);

        ASSERT_TRUE(read) << width;
        EXPECT_EQ(read->seq, stamp.seq & 0xFFFF'FFFFULL);
        EXPECT_EQ(read->capture_us, stamp.capture_us & 0xFFFF'FFFF'FFFFULL);
        EXPECT_EQ(read->capture_unix_us, stamp.capture_unix_us);
    }
}

TEST(StampBand, bandIsWholeMacroblockRowsAndHoldsEveryBit) {
    for (const std::uint32_t width : {16U, 100U, 640U, 1920U}) {
        const std::uint32_t rows = stamp_band_height(width);
        EXPECT_EQ(rows % 16, 0U) << width;
        EXPECT_GE((rows / STAMP_BLOCK) * (width / STAMP_BLOCK), STAMP_BYTES * 8) << width;
    }
    EXPECT_EQ(stamp_band_height(1920), 16U);
    EXPECT_EQ(stamp_band_height(320), 32U);
    EXPECT_EQ(stamp_band_height(16), 576U);
}

TEST(StampBand, aFlippedBlockFailsTheCheck) {
    Band sut(640);
    write_stamp(sut.luma.data(), sut.stride, 640, Stamp{7, 8, 9});
    sut.luma[STAMP_BLOCK / 2 * sut.stride + STAMP_BLOCK / 2] ^= 0xFF;

    EXPECT_FALSE(read_stamp(sut.luma.data(), sut.stride, 640));
}
