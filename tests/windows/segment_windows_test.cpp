// The Windows side of the platform seam (shm/src/segment_windows.cpp), seen the way Python
// sees it: through a mapping opened exactly as CPython's mmap opens one.

#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/segment_header_check.hpp"

#include "support/unique_name.hpp"
#include "windows/cpython_mmap.hpp"

#include <gtest/gtest.h>
#include <cstring>
#include <optional>

using namespace framebridge::shm;
using framebridge::test::CPythonMmap;
using framebridge::test::mapping_is_visible;
using framebridge::test::unique_stream_name;

namespace {

class SegmentWindowsTest : public ::testing::Test {
protected:
    const std::string name = unique_stream_name();
    const std::string local_name = "Local\\" + name;
    const FrameGeometry geometry{64, 48, PixelFormat::Bgr8};
    const std::uint64_t segment_size = compute_ring_layout(3, geometry.payload_size()).segment_size;

    static std::uint64_t u64_at(const std::byte* bytes, std::uint64_t offset) {
        std::uint64_t value = 0;
        std::memcpy(&value, bytes + offset, sizeof value);
        return value;
    }
};

}  // namespace

TEST_F(SegmentWindowsTest, aStreamIsANamedMappingInTheSessionsLocalNamespace) {
    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_EQ(sut.name(), local_name);
    EXPECT_TRUE(mapping_is_visible(local_name));
}

TEST_F(SegmentWindowsTest, cpythonsMmapSeesTheHeaderAndTheFramesTheServerWrote) {
    FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    sut.begin_write(1);
    std::memset(sut.slot_data(1), 0x5a, geometry.payload_size());
    sut.end_write(1, {7, geometry, 100, 200});

    const CPythonMmap client(sut.name(), segment_size);
    EXPECT_TRUE(client.existed());
    EXPECT_EQ(check_header(client.data(), client.size()), "");
    EXPECT_EQ(u64_at(client.data(), 0), SEGMENT_MAGIC);
    EXPECT_EQ(u64_at(client.data(), 56), sut.header().session_id);
    EXPECT_EQ(u64_at(client.data(), 80), 7u);  // newest_seq
    const std::uint64_t slot_1 = sut.header().data_offset + sut.header().slot_capacity;
    EXPECT_EQ(std::to_integer<int>(client.data()[slot_1 + geometry.payload_size() - 1]), 0x5a);
}

TEST_F(SegmentWindowsTest, cpythonsMmapOfAMissingNameGetsZerosThatTheHeaderCheckRefuses) {
    const CPythonMmap client(local_name, 8192);
    EXPECT_FALSE(client.existed());  // Python cannot tell: it has just made an empty mapping
    EXPECT_EQ(u64_at(client.data(), 0), 0u);
    EXPECT_EQ(check_header(client.data(), client.size()), "its magic number is wrong");
}

TEST_F(SegmentWindowsTest, theMappingGoesWithItsLastHandleSoThereIsNothingToRemove) {
    { const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size()); }
    EXPECT_FALSE(mapping_is_visible(local_name));
    EXPECT_FALSE(SharedSegment::remove(name));
}

TEST_F(SegmentWindowsTest, aClientKeepsTheMappingAliveAfterTheServerGoes) {
    std::optional<FrameRing> server(FrameRing::create(name, 3, geometry.payload_size()));
    const std::uint64_t session = server->header().session_id;
    const CPythonMmap client(local_name, segment_size);
    server.reset();
    EXPECT_TRUE(mapping_is_visible(local_name));
    EXPECT_EQ(u64_at(client.data(), 56), session);
}

TEST_F(SegmentWindowsTest, aRestartedServerTakesTheNextGenerationWhileAnOldClientHoldsTheOld) {
    std::optional<FrameRing> first(FrameRing::create(name, 3, geometry.payload_size()));
    const std::uint64_t first_session = first->header().session_id;
    const CPythonMmap old_client(first->name(), segment_size);
    first.reset();  // the server is gone; its client still maps its ring

    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_EQ(sut.name(), local_name + "@1");
    EXPECT_NE(sut.header().session_id, first_session);
    EXPECT_EQ(u64_at(old_client.data(), 56), first_session);
    // Opening by stream name finds the generation being served, not the old one.
    EXPECT_EQ(FrameRing::open(name).header().session_id, sut.header().session_id);
    EXPECT_EQ(FrameRing::open(local_name + "@1").name(), local_name + "@1");
    const CPythonMmap new_client(sut.name(), segment_size);
    EXPECT_EQ(u64_at(new_client.data(), 56), sut.header().session_id);
}

TEST_F(SegmentWindowsTest, theFirstGenerationIsTakenAgainOnceNoOneHoldsIt) {
    std::optional<FrameRing> first(FrameRing::create(name, 3, geometry.payload_size()));
    std::optional<CPythonMmap> old_client;
    old_client.emplace(first->name(), segment_size);
    first.reset();
    { const FrameRing second = FrameRing::create(name, 3, geometry.payload_size()); }
    old_client.reset();
    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_EQ(sut.name(), local_name);
}

TEST_F(SegmentWindowsTest, removingTheNameLetsANewRingTakeTheStreamWhileTheOldOneLives) {
    const FrameRing old_ring = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_TRUE(SharedSegment::remove(old_ring.name()));
    EXPECT_FALSE(SharedSegment::remove(old_ring.name()));

    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_EQ(sut.name(), local_name + "@1");
    EXPECT_NE(sut.header().session_id, old_ring.header().session_id);
    EXPECT_EQ(old_ring.header().magic, SEGMENT_MAGIC);
    EXPECT_EQ(FrameRing::open(name).header().session_id, sut.header().session_id);
}

TEST_F(SegmentWindowsTest, removingAnotherRingsNameLeavesTheClaimAlone) {
    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_FALSE(SharedSegment::remove(local_name + "@1"));
    EXPECT_THROW(FrameRing::create(name, 3, geometry.payload_size()), SegmentError);
}

TEST_F(SegmentWindowsTest, aLiveServerIsRefusedWithItsProcessId) {
    const FrameRing first = FrameRing::create(name, 3, geometry.payload_size());
    try {
        FrameRing::create(name, 3, geometry.payload_size());
        FAIL() << "a second server took a live stream";
    } catch (const SegmentError& e) {
        EXPECT_EQ(e.reason(), SegmentError::Reason::InUse);
        EXPECT_NE(std::string(e.what()).find(std::to_string(current_process_id())),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(SegmentWindowsTest, someoneElsesMappingUnderTheNameIsLeftAlone) {
    const CPythonMmap foreign(local_name, 4096);
    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_EQ(sut.name(), local_name + "@1");
    EXPECT_EQ(u64_at(foreign.data(), 0), 0u);
}

TEST_F(SegmentWindowsTest, namesMaySayTheGlobalNamespaceForAServerRunningAsAService) {
    EXPECT_NO_THROW(validate_segment_name("Global\\" + name));
    EXPECT_NO_THROW(validate_segment_name("Local\\" + name));
    EXPECT_THROW(validate_segment_name("Session\\" + name), std::invalid_argument);
    EXPECT_THROW(validate_segment_name(name + "@1"), std::invalid_argument);
    EXPECT_EQ(SharedSegment::location(name), local_name);
    try {
        const FrameRing sut = FrameRing::create("Global\\" + name, 3, geometry.payload_size());
        EXPECT_EQ(sut.name(), "Global\\" + name);
        EXPECT_TRUE(mapping_is_visible("Global\\" + name));
    } catch (const SegmentError& e) {
        // Creating in Global\ takes SeCreateGlobalPrivilege, which services have.
        EXPECT_EQ(e.reason(), SegmentError::Reason::System) << e.what();
        GTEST_SKIP() << "no right to create Global\\ mappings here: " << e.what();
    }
}
