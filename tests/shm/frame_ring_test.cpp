#include "framebridge/shm/frame_ring.hpp"

#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <cstring>
#ifdef _WIN32
#include <windows.h>
#else
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace framebridge::shm;
using framebridge::test::unique_stream_name;

namespace {

#ifdef _WIN32
bool segment_exists(const std::string& name) {
    const HANDLE mapping =
        ::OpenFileMappingA(FILE_MAP_READ, FALSE, SharedSegment::location(name).c_str());
    if (mapping == nullptr) {
        return false;
    }
    ::CloseHandle(mapping);
    return true;
}

// A pid that is certainly not running: a child that has exited, its handle closed.
std::uint32_t dead_pid() {
    char command[] = "cmd.exe /c exit 0";
    STARTUPINFOA startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION child{};
    if (!::CreateProcessA(nullptr, command, nullptr, nullptr, FALSE, CREATE_NO_WINDOW, nullptr,
                          nullptr, &startup, &child)) {
        throw std::runtime_error("cannot start cmd.exe");
    }
    ::WaitForSingleObject(child.hProcess, INFINITE);
    ::CloseHandle(child.hThread);
    ::CloseHandle(child.hProcess);
    return child.dwProcessId;
}
#else
bool segment_exists(const std::string& name) {
    struct stat st {};
    return ::stat(SharedSegment::location(name).c_str(), &st) == 0;
}

// A pid that is certainly not running: a child that has exited and been reaped.
std::uint32_t dead_pid() {
    const pid_t child = ::fork();
    if (child == 0) {
        ::_exit(0);
    }
    ::waitpid(child, nullptr, 0);
    return static_cast<std::uint32_t>(child);
}
#endif

class FrameRingTest : public ::testing::Test {
protected:
    void TearDown() override { SharedSegment::remove(name); }
    const std::string name = unique_stream_name();
    const FrameGeometry geometry{64, 48, PixelFormat::Bgr8};
};

}  // namespace

TEST_F(FrameRingTest, createWritesAHeaderThatFollowsTheLayout) {
    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    const SegmentHeader& h = sut.header();
    EXPECT_EQ(h.magic, SEGMENT_MAGIC);
    EXPECT_EQ(h.layout_version, LAYOUT_VERSION);
    EXPECT_EQ(h.slot_count, 3u);
    EXPECT_EQ(h.producer_pid, current_process_id());
    EXPECT_NE(h.session_id, 0u);
    EXPECT_GT(h.created_unix_ns, 0u);
    EXPECT_EQ(h.segment_size, compute_ring_layout(3, geometry.payload_size()).segment_size);
    EXPECT_EQ(h.grant_offset, compute_ring_layout(3, geometry.payload_size()).grant_offset);
    EXPECT_EQ(h.grant_cells, GRANT_CELLS);
    EXPECT_EQ(sut.newest_seq(), 0u);
    for (std::uint32_t cell = 0; cell < GRANT_CELLS; ++cell) {
        EXPECT_EQ(sut.granted(cell), 0u) << cell;
    }
}

// A client that publishes maps its whole segment writable, header included.
TEST_F(FrameRingTest, whereItWritesComesFromItsOwnLayoutNotFromAHeaderSomeoneRewrote) {
    FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    std::byte* const slot_before = sut.slot_data(1);
    const SharedSegment writer = SharedSegment::open(sut.name(), true);
    auto& h = *reinterpret_cast<SegmentHeader*>(writer.data());
    h.slot_count = MAX_SLOTS;
    h.descriptor_offset = std::uint64_t{1} << 40;
    h.slot_capacity = std::uint64_t{1} << 40;
    h.data_offset = std::uint64_t{1} << 40;
    h.grant_offset = std::uint64_t{1} << 40;

    sut.grant(0, 1, 5);
    sut.begin_write(2);
    sut.end_write(2, {6, geometry, 1, 2});

    EXPECT_EQ(sut.slot_count(), 3u);
    EXPECT_EQ(sut.slot_data(1), slot_before);
    EXPECT_EQ(sut.granted(0), std::uint64_t{5} << GRANT_SLOT_BITS | 1);
    EXPECT_EQ(sut.slot_sequence(2), 6u);
}

TEST_F(FrameRingTest, aReaderSeesTheGrantInItsOwnCellOnly) {
    FrameRing creator = FrameRing::create(name, 3, geometry.payload_size());
    const FrameRing sut = FrameRing::open(name);

    creator.grant(5, 2, 1234);
    creator.grant(GRANT_CELLS - 1, 1, 7);

    EXPECT_EQ(sut.granted(5), std::uint64_t{1234} << GRANT_SLOT_BITS | 2);
    EXPECT_EQ(sut.granted(GRANT_CELLS - 1), std::uint64_t{7} << GRANT_SLOT_BITS | 1);
    EXPECT_EQ(sut.granted(4), 0u);
    EXPECT_EQ(sut.granted(6), 0u);
    EXPECT_EQ(sut.descriptor(2).sequence.load(), 0u) << "a grant writes no descriptor";
    creator.clear_grant(5);
    EXPECT_EQ(sut.granted(5), 0u);
}

#ifndef _WIN32
// Windows: the mapping takes the creator's default DACL, in this session's namespace only.
TEST_F(FrameRingTest, segmentIsReadableAndWritableByItsOwnerOnly) {
    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    struct stat st {};
    ASSERT_EQ(::stat(SharedSegment::location(name).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}
#endif

TEST_F(FrameRingTest, creatorRemovesTheSegmentWhenItGoes) {
    {
        const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
        EXPECT_TRUE(segment_exists(name));
    }
    EXPECT_FALSE(segment_exists(name));
}

TEST_F(FrameRingTest, anOpenerNeverRemovesTheSegment) {
    const FrameRing creator = FrameRing::create(name, 3, geometry.payload_size());
    { const FrameRing sut = FrameRing::open(name); }
    EXPECT_TRUE(segment_exists(name));
}

TEST_F(FrameRingTest, openSeesWhatTheCreatorPublished) {
    FrameRing creator = FrameRing::create(name, 3, geometry.payload_size());
    creator.begin_write(1);
    std::memset(creator.slot_data(1), 0x5a, geometry.payload_size());
    creator.end_write(1, {7, geometry, 100, 200, 41});

    const FrameRing sut = FrameRing::open(name);
    EXPECT_EQ(sut.slot_sequence(1), 7u);
    EXPECT_EQ(sut.newest_seq(), 7u);
    const SlotDescriptor& d = sut.descriptor(1);
    EXPECT_EQ(d.width, 64u);
    EXPECT_EQ(d.height, 48u);
    EXPECT_EQ(d.stride, 192u);
    EXPECT_EQ(d.pixel_format, PixelFormat::Bgr8);
    EXPECT_EQ(d.payload_size, 192u * 48);
    EXPECT_EQ(d.capture_ns, 100u);
    EXPECT_EQ(d.publish_ns, 200u);
    EXPECT_EQ(d.source_seq, 41u);
    EXPECT_EQ(std::to_integer<int>(sut.slot_data(1)[geometry.payload_size() - 1]), 0x5a);
}

TEST_F(FrameRingTest, aFramesMetadataIsWrittenWithItAndOnlyItsKeysAreReported) {
    FrameRing creator = FrameRing::create(name, 3, geometry.payload_size());
    FrameInfo info{7, geometry, 100, 200};
    info.metadata.set(MetadataKey::Exposure, 156.0);
    info.metadata.set(MetadataKey::Gain, 0.0);
    creator.begin_write(2);
    creator.end_write(2, info);
    creator.begin_write(2);
    EXPECT_EQ(creator.descriptor(2).metadata.reported, 0u) << "a slot being written reports none";
    creator.end_write(2, {8, geometry, 300, 400});

    creator.begin_write(1);
    creator.end_write(1, info);

    const FrameRing sut = FrameRing::open(name);
    EXPECT_EQ(sut.descriptor(1).metadata.get(MetadataKey::Exposure), 156.0);
    EXPECT_EQ(sut.descriptor(1).metadata.get(MetadataKey::Gain), 0.0);
    EXPECT_FALSE(sut.descriptor(1).metadata.get(MetadataKey::Fps));
    EXPECT_EQ(sut.descriptor(2).metadata.reported, 0u) << "a frame without metadata clears it";
}

TEST_F(FrameRingTest, slotReadsZeroWhileBeingWritten) {
    FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    sut.begin_write(0);
    sut.end_write(0, {1, geometry, 1, 2});
    sut.begin_write(0);
    EXPECT_EQ(sut.slot_sequence(0), 0u);
    sut.end_write(0, {4, geometry, 1, 2});
    EXPECT_EQ(sut.slot_sequence(0), 4u);
}

TEST_F(FrameRingTest, slotsDoNotOverlapAndArePageAligned) {
    const FrameRing sut = FrameRing::create(name, 4, geometry.payload_size());
    for (std::uint32_t s = 0; s < 4; ++s) {
        const auto address = reinterpret_cast<std::uintptr_t>(sut.slot_data(s));
        EXPECT_EQ(address % PAGE_BYTES, 0u);
        if (s > 0) {
            EXPECT_GE(sut.slot_data(s) - sut.slot_data(s - 1),
                      static_cast<std::ptrdiff_t>(geometry.payload_size()));
        }
    }
}

TEST_F(FrameRingTest, aLiveProducersStreamIsRefusedAndLeftAlone) {
    const FrameRing first = FrameRing::create(name, 3, geometry.payload_size());
    const std::uint64_t session = first.header().session_id;
    try {
        FrameRing::create(name, 3, geometry.payload_size());
        FAIL() << "a second producer took a live stream";
    } catch (const SegmentError& e) {
        EXPECT_EQ(e.reason(), SegmentError::Reason::InUse);
        EXPECT_NE(std::string(e.what()).find(std::to_string(current_process_id())),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(FrameRing::open(name).header().session_id, session);
}

#ifndef _WIN32
// Windows has nothing to replace: a mapping goes with its last handle, and one a client still
// holds is left to it for a new generation (tests/windows/segment_windows_test.cpp).
TEST_F(FrameRingTest, aDeadProducersStreamIsReplaced) {
    const std::uint32_t gone = dead_pid();
    {
        SharedSegment stale = SharedSegment::create(name, 8192);
        auto& h = *reinterpret_cast<SegmentHeader*>(stale.data());
        h.magic = SEGMENT_MAGIC;
        h.producer_pid = gone;
    }
    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_EQ(sut.replaced_stale_producer(), gone);
    EXPECT_EQ(sut.header().producer_pid, current_process_id());
}

TEST_F(FrameRingTest, aSegmentThatNeverGotAHeaderIsReplaced) {
    { SharedSegment::create(name, 4096); }
    const FrameRing sut = FrameRing::create(name, 3, geometry.payload_size());
    EXPECT_EQ(sut.header().magic, SEGMENT_MAGIC);
}

TEST_F(FrameRingTest, someoneElsesSegmentIsRefused) {
    {
        SharedSegment foreign = SharedSegment::create(name, 4096);
        std::memcpy(foreign.data(), "NOTOURS!", 8);
    }
    try {
        FrameRing::create(name, 3, geometry.payload_size());
        FAIL() << "a foreign segment was replaced";
    } catch (const SegmentError& e) {
        EXPECT_EQ(e.reason(), SegmentError::Reason::NotFrameBridge);
    }
    EXPECT_TRUE(segment_exists(name));
}
#endif

TEST_F(FrameRingTest, openingAMissingStreamSaysSo) {
    try {
        FrameRing::open(name);
        FAIL();
    } catch (const SegmentError& e) {
        EXPECT_EQ(e.reason(), SegmentError::Reason::NotFound);
        EXPECT_NE(std::string(e.what()).find(name), std::string::npos);
    }
}

TEST_F(FrameRingTest, openRefusesAHeaderFromAnotherLayoutVersion) {
    // Kept while opened: on Windows a mapping goes with its last handle.
    SharedSegment bad = SharedSegment::create(name, 8192);
    auto& h = *reinterpret_cast<SegmentHeader*>(bad.data());
    h.magic = SEGMENT_MAGIC;
    h.layout_version = 99;
    try {
        FrameRing::open(name);
        FAIL();
    } catch (const SegmentError& e) {
        EXPECT_EQ(e.reason(), SegmentError::Reason::NotFrameBridge);
        EXPECT_NE(std::string(e.what()).find("99"), std::string::npos) << e.what();
    }
}

TEST(SegmentName, acceptsPortableNamesOnly) {
    EXPECT_NO_THROW(validate_segment_name("framebridge"));
    EXPECT_NO_THROW(validate_segment_name("cam-0_left.v2"));
    EXPECT_THROW(validate_segment_name(""), std::invalid_argument);
    EXPECT_THROW(validate_segment_name("/framebridge"), std::invalid_argument);
    EXPECT_THROW(validate_segment_name(".hidden"), std::invalid_argument);
    EXPECT_THROW(validate_segment_name("a/b"), std::invalid_argument);
    EXPECT_THROW(validate_segment_name(std::string(31, 'a')), std::invalid_argument);
    EXPECT_NO_THROW(validate_segment_name(std::string(30, 'a')));
}

TEST(ProcessIsAlive, tellsTheLivingFromTheDead) {
    EXPECT_TRUE(process_is_alive(current_process_id()));
    EXPECT_FALSE(process_is_alive(dead_pid()));
    EXPECT_FALSE(process_is_alive(0));
}
