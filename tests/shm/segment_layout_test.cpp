#include "framebridge/shm/segment_layout.hpp"

#include <gtest/gtest.h>
#include <stdexcept>

using namespace framebridge::shm;

TEST(SegmentLayout, rowStrideIsRoundedUpToSixtyFourBytes) {
    EXPECT_EQ((FrameGeometry{3840, 2160, PixelFormat::Bgr8}.stride()), 11520u);
    EXPECT_EQ((FrameGeometry{1000, 10, PixelFormat::Bgr8}.stride()), 3008u);
    EXPECT_EQ((FrameGeometry{1, 1, PixelFormat::Gray8}.stride()), 64u);
    EXPECT_EQ((FrameGeometry{17, 1, PixelFormat::Bgra8}.stride()), 128u);
}

TEST(SegmentLayout, payloadIsStrideTimesHeight) {
    const FrameGeometry sut{1000, 7, PixelFormat::Bgr8};
    EXPECT_EQ(sut.payload_size(), 3008u * 7);
}

TEST(SegmentLayout, slotsAndDataArePageAligned) {
    const RingLayout sut = compute_ring_layout(3, 3840u * 2160 * 3);
    EXPECT_EQ(sut.slot_count, 3u);
    EXPECT_EQ(sut.data_offset % PAGE_BYTES, 0u);
    EXPECT_GE(sut.data_offset, HEADER_BYTES + 3 * DESCRIPTOR_BYTES);
    EXPECT_EQ(sut.slot_capacity % PAGE_BYTES, 0u);
    EXPECT_GE(sut.slot_capacity, 3840u * 2160 * 3);
    EXPECT_EQ(sut.segment_size, sut.data_offset + 3 * sut.slot_capacity);
}

TEST(SegmentLayout, manySlotsPushTheDataPastTheirDescriptors) {
    const RingLayout sut = compute_ring_layout(MAX_SLOTS, 100);
    EXPECT_GE(sut.data_offset, HEADER_BYTES + MAX_SLOTS * DESCRIPTOR_BYTES);
    EXPECT_EQ(sut.data_offset % PAGE_BYTES, 0u);
}

TEST(SegmentLayout, grantCellsSitBetweenTheDescriptorsAndTheData) {
    for (const std::uint32_t slots : {MIN_SLOTS, 3u, 20u, MAX_SLOTS}) {
        const RingLayout sut = compute_ring_layout(slots, 100);
        EXPECT_GE(sut.grant_offset, HEADER_BYTES + slots * DESCRIPTOR_BYTES) << slots;
        EXPECT_EQ(sut.grant_offset % GRANT_CELL_BYTES, 0u) << slots;
        EXPECT_LE(sut.grant_offset + GRANT_CELLS * GRANT_CELL_BYTES, sut.data_offset) << slots;
    }
}

TEST(SegmentLayout, slotCountOutsideRangeIsRefused) {
    EXPECT_THROW(compute_ring_layout(1, 100), std::invalid_argument);
    EXPECT_THROW(compute_ring_layout(MAX_SLOTS + 1, 100), std::invalid_argument);
}

TEST(SegmentLayout, emptyOrHugeFramesAreRefused) {
    EXPECT_THROW(compute_ring_layout(3, 0), std::invalid_argument);
    EXPECT_THROW(compute_ring_layout(3, (std::uint64_t{1} << 32) + 1), std::invalid_argument);
}

TEST(SegmentLayout, geometryValidationNamesTheBadValue) {
    try {
        validate_geometry({0, 10, PixelFormat::Bgr8});
        FAIL() << "a zero width was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("0x10"), std::string::npos) << e.what();
    }
    EXPECT_THROW(validate_geometry({MAX_FRAME_SIDE + 1, 10, PixelFormat::Bgr8}),
                 std::invalid_argument);
    EXPECT_THROW(validate_geometry({10, 10, PixelFormat::None}), std::invalid_argument);
    EXPECT_NO_THROW(validate_geometry({MAX_FRAME_SIDE, MAX_FRAME_SIDE, PixelFormat::Bgra8}));
}

TEST(SegmentLayout, pixelFormatsHaveTheirContractSizesAndNames) {
    EXPECT_EQ(bytes_per_pixel(PixelFormat::Bgr8), 3u);
    EXPECT_EQ(bytes_per_pixel(PixelFormat::Gray8), 1u);
    EXPECT_EQ(bytes_per_pixel(PixelFormat::Bgra8), 4u);
    EXPECT_EQ(bytes_per_pixel(static_cast<PixelFormat>(9)), 0u);
    EXPECT_STREQ(to_string(PixelFormat::Bgr8), "BGR8");
    EXPECT_STREQ(to_string(static_cast<PixelFormat>(9)), "unknown");
}
