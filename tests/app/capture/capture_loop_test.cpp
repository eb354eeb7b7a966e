#include "framebridge/app/capture/capture_loop.hpp"

#include "framebridge/app/sources/synthetic_source.hpp"
#include "support/eventually.hpp"
#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

using namespace framebridge;
using framebridge::test::eventually;

namespace {

// The synthetic pattern, but grabs follow a script: each entry is what one grab returns;
// when the script runs out, frames keep coming.
class ScriptedSource : public app::SyntheticSource {
public:
    explicit ScriptedSource(const shm::FrameGeometry& g) : SyntheticSource(g) {}

    app::GrabResult grab() override {
        const std::lock_guard lock(mutex);
        if (script.empty()) {
            return app::GrabResult::Frame;
        }
        const app::GrabResult next = script.front();
        script.pop_front();
        return next;
    }
    bool retrieve(std::byte* dst, std::uint32_t stride, std::uint64_t seq) override {
        return undecodable-- > 0 ? false : SyntheticSource::retrieve(dst, stride, seq);
    }
    bool rewind() override { return ++rewinds, true; }
    bool reopen() override { return ++reopen_attempts > failed_reopens; }

    std::mutex mutex;
    std::deque<app::GrabResult> script;
    std::atomic<int> undecodable{0};
    std::atomic<int> rewinds{0};
    std::atomic<int> reopen_attempts{0};
    int failed_reopens = 0;
};

// The synthetic pattern, reporting each frame's sequence number as its exposure, as a camera
// reports its own state with every frame.
class ReportingSource : public app::SyntheticSource {
public:
    explicit ReportingSource(const shm::FrameGeometry& g) : SyntheticSource(g) {}

    bool retrieve(std::byte* dst, std::uint32_t stride, std::uint64_t seq) override {
        last_seq = seq;
        return SyntheticSource::retrieve(dst, stride, seq);
    }
    shm::FrameMetadata metadata() const override {
        shm::FrameMetadata metadata;
        metadata.set(shm::MetadataKey::Exposure, static_cast<double>(last_seq));
        return metadata;
    }

    std::uint64_t last_seq = 0;
};

class CaptureLoopTest : public ::testing::Test {
protected:
    app::CaptureEvents events() {
        return {[this] { ++announced; },
                [this](framebridge::protocol::StreamState state, const std::string&) {
                    const std::lock_guard lock(states_mutex);
                    states.push_back(state);
                },
                {}};
    }

    std::vector<framebridge::protocol::StreamState> seen_states() {
        const std::lock_guard lock(states_mutex);
        return states;
    }

    static app::CaptureOptions fast(double fps = 0.0, bool loop = false) {
        app::CaptureOptions options;
        options.fps = fps;
        options.loop = loop;
        options.first_retry = std::chrono::milliseconds{1};
        options.max_retry = std::chrono::milliseconds{4};
        return options;
    }

    const shm::FrameGeometry geometry{64, 16, shm::PixelFormat::Bgr8};
    shm::FrameRing ring =
        shm::FrameRing::create(test::unique_stream_name(), 3, geometry.payload_size());
    // Never takes a lease back within a test: the tests that want that make their own.
    shm::LeaseTable leases{3, std::chrono::hours{1}};
    std::atomic<int> announced{0};
    std::mutex states_mutex;
    std::vector<framebridge::protocol::StreamState> states;
};

}  // namespace

TEST_F(CaptureLoopTest, publishesStampedFramesAndAnnouncesEachOne) {
    app::SyntheticSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, fast(), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 20; }));
    sut.stop();
    const auto stats = sut.stats();
    EXPECT_EQ(static_cast<std::uint64_t>(announced.load()), stats.published);
    EXPECT_EQ(ring.newest_seq(), stats.published);
    EXPECT_EQ(leases.newest_seq(), stats.published);
    EXPECT_EQ(stats.copies, 0u);
    EXPECT_EQ(stats.state, framebridge::protocol::StreamState::Live);
    for (std::uint32_t slot = 0; slot < 3; ++slot) {
        const std::uint64_t seq = ring.slot_sequence(slot);
        EXPECT_EQ(app::read_stamp(ring.slot_data(slot), 0), seq);
        EXPECT_EQ(ring.descriptor(slot).metadata.reported, 0u) << "synthetic frames report none";
    }
}

TEST_F(CaptureLoopTest, whatTheSourceReportsWithAFrameIsPublishedWithThatFrame) {
    ReportingSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, fast(), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 5; }));
    sut.stop();
    for (std::uint32_t slot = 0; slot < 3; ++slot) {
        const shm::FrameMetadata& metadata = ring.descriptor(slot).metadata;
        EXPECT_EQ(metadata.get(shm::MetadataKey::Exposure),
                  static_cast<double>(ring.slot_sequence(slot)));
        EXPECT_FALSE(metadata.get(shm::MetadataKey::Gain));
    }
}

TEST_F(CaptureLoopTest, sequenceNumbersStartWhereTheyAreToldTo) {
    app::SyntheticSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, fast(), events());
    sut.start(1000);
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 1; }));
    sut.stop();
    EXPECT_GE(ring.newest_seq(), 1000u);
    EXPECT_EQ(sut.next_seq(), 1000 + sut.stats().published);
}

TEST_F(CaptureLoopTest, neverWaitsForReadersButDropsAndCountsWhenNoSlotIsFree) {
    app::SyntheticSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, fast(), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 1; }));
    // Readers pin two frames; once a third is the newest, no slot is left to write.
    const auto first = leases.lease_newest(0, 1);
    ASSERT_TRUE(first);
    ASSERT_TRUE(eventually([&] { return leases.newest_seq() > first->seq; }));
    const auto second = leases.lease_newest(first->seq, 2);
    ASSERT_TRUE(second);
    ASSERT_NE(first->slot, second->slot);
    ASSERT_TRUE(eventually([&] { return sut.stats().dropped >= 10; }));
    const std::uint64_t published = sut.stats().published;
    const std::uint64_t newest = ring.newest_seq();
    ASSERT_TRUE(eventually([&] { return sut.stats().dropped >= 50; }));
    EXPECT_EQ(sut.stats().published, published);
    EXPECT_EQ(ring.newest_seq(), newest);
    sut.stop();
    EXPECT_EQ(sut.stats().grabbed, sut.stats().published + sut.stats().dropped);
}

TEST_F(CaptureLoopTest, anUndecodableFrameIsDroppedAndTheNumberingHasNoGap) {
    ScriptedSource source(geometry);
    source.undecodable = 3;
    app::CaptureLoop sut(source, ring, leases, fast(), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 5; }));
    sut.stop();
    EXPECT_GE(sut.stats().dropped, 3u);
    EXPECT_EQ(ring.newest_seq(), sut.stats().published);
}

TEST_F(CaptureLoopTest, stopsPromptlyWhileWaitingForTheNextFrameTime) {
    app::SyntheticSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, fast(0.01), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published == 1; }));
    const auto before = std::chrono::steady_clock::now();
    sut.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds{10})
        << "stop waited for a 100 s frame period";
}

TEST_F(CaptureLoopTest, theEndOfASourceEndsTheStreamOnceAndStopStillWorks) {
    ScriptedSource source(geometry);
    source.script = {app::GrabResult::Frame, app::GrabResult::Frame, app::GrabResult::End};
    app::CaptureLoop sut(source, ring, leases, fast(), events());
    sut.start();
    ASSERT_TRUE(
        eventually([&] { return sut.stats().state == framebridge::protocol::StreamState::Ended; }));
    EXPECT_EQ(sut.stats().published, 2u);
    EXPECT_EQ(seen_states(), std::vector<framebridge::protocol::StreamState>{
                                 framebridge::protocol::StreamState::Ended});
    sut.stop();
}

TEST_F(CaptureLoopTest, withLoopTheEndRewindsAndFramesGoOn) {
    ScriptedSource source(geometry);
    source.script = {app::GrabResult::Frame, app::GrabResult::End, app::GrabResult::Frame};
    app::CaptureLoop sut(source, ring, leases, fast(0.0, true), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 10; }));
    sut.stop();
    EXPECT_EQ(source.rewinds.load(), 1);
    EXPECT_TRUE(seen_states().empty());
}

TEST_F(CaptureLoopTest, aLostSourceIsReopenedUntilItComesBackAndTheStreamGoesOn) {
    ScriptedSource source(geometry);
    source.script = {app::GrabResult::Frame, app::GrabResult::Lost};
    source.failed_reopens = 3;
    app::CaptureLoop sut(source, ring, leases, fast(), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 10; }));
    sut.stop();
    EXPECT_EQ(source.reopen_attempts.load(), 4);
    EXPECT_EQ(seen_states(), (std::vector<framebridge::protocol::StreamState>{
                                 framebridge::protocol::StreamState::Lost,
                                 framebridge::protocol::StreamState::Live}));
}

TEST_F(CaptureLoopTest, stopEndsTheRetriesOfASourceThatNeverComesBack) {
    ScriptedSource source(geometry);
    source.script = {app::GrabResult::Lost};
    source.failed_reopens = 1'000'000;
    app::CaptureLoop sut(source, ring, leases, fast(), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return source.reopen_attempts.load() >= 3; }));
    EXPECT_EQ(sut.stats().state, framebridge::protocol::StreamState::Lost);
    sut.stop();
}

TEST_F(CaptureLoopTest, aReaderThatNeverLetsGoLosesItsOldestFrameRatherThanStallingCapture) {
    shm::LeaseTable quick_to_take_back{3, std::chrono::milliseconds{1}};
    app::SyntheticSource source(geometry);
    app::CaptureLoop sut(source, ring, quick_to_take_back, fast(), events());
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 1; }));
    const auto first = quick_to_take_back.lease_newest(0, 1);
    ASSERT_TRUE(first);
    ASSERT_TRUE(eventually([&] { return quick_to_take_back.newest_seq() > first->seq; }));
    const auto second = quick_to_take_back.lease_newest(first->seq, 1);
    ASSERT_TRUE(second);
    const std::uint64_t published = sut.stats().published;
    ASSERT_TRUE(eventually([&] { return sut.stats().published > published + 20; }));
    sut.stop();
    EXPECT_GE(quick_to_take_back.revoked(1), 1u);
    EXPECT_NE(ring.slot_sequence(first->slot), first->seq)
        << "the reader can tell: the seqlock moved";
}

namespace {

// Pace::Clients with readers that the test moves by hand: `slowest` is what they have.
class PacedCaptureTest : public CaptureLoopTest {
protected:
    app::CaptureEvents paced_events() {
        app::CaptureEvents e = events();
        e.slowest_reader = [this]() -> std::optional<std::uint64_t> {
            const std::lock_guard lock(slowest_mutex);
            return slowest;
        };
        return e;
    }

    void readers_have(std::optional<std::uint64_t> seq, app::CaptureLoop& sut) {
        {
            const std::lock_guard lock(slowest_mutex);
            slowest = seq;
        }
        sut.readers_changed();
    }

    static app::CaptureOptions paced() {
        app::CaptureOptions options = fast();
        options.pace = app::Pace::Clients;
        return options;
    }

    std::mutex slowest_mutex;
    std::optional<std::uint64_t> slowest;
};

}  // namespace

TEST_F(PacedCaptureTest, grabsNothingUntilAReaderIsConnected) {
    ScriptedSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, paced(), paced_events());
    sut.start();
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    EXPECT_EQ(sut.stats().grabbed, 0u);

    readers_have(0, sut);
    ASSERT_TRUE(eventually([&] { return sut.stats().published == 1; }));
    sut.stop();
}

TEST_F(PacedCaptureTest, grabsTheNextFrameOnlyOnceEveryReaderHasTheNewest) {
    ScriptedSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, paced(), paced_events());
    readers_have(0, sut);
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    EXPECT_EQ(sut.stats().published, 1u) << "the slowest reader does not have frame 1 yet";

    readers_have(1, sut);
    ASSERT_TRUE(eventually([&] { return sut.stats().published == 2; }));
    readers_have(2, sut);
    ASSERT_TRUE(eventually([&] { return sut.stats().published == 3; }));
    sut.stop();
    EXPECT_EQ(sut.stats().dropped, 0u);
    EXPECT_EQ(ring.newest_seq(), 3u);
}

TEST_F(PacedCaptureTest, waitsForAFreeSlotRatherThanDropAFrame) {
    ScriptedSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, paced(), paced_events());
    readers_have(0, sut);
    sut.start();
    // Readers pin frames 1 and 2; once 3 is the newest, no slot is left for frame 4.
    std::vector<shm::Lease> pinned;
    for (std::uint64_t seq = 1; seq <= 2; ++seq) {
        ASSERT_TRUE(eventually([&] { return sut.stats().published == seq; }));
        pinned.push_back(*leases.lease_newest(seq - 1, static_cast<shm::OwnerId>(seq)));
        readers_have(seq, sut);
    }
    ASSERT_TRUE(eventually([&] { return sut.stats().published == 3; }));
    readers_have(3, sut);

    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    EXPECT_EQ(sut.stats().published, 3u);
    EXPECT_EQ(sut.stats().dropped, 0u);

    leases.release(pinned[0], 1);
    ASSERT_TRUE(eventually([&] { return sut.stats().published == 4; }));
    sut.stop();
    EXPECT_EQ(sut.stats().dropped, 0u);
}
