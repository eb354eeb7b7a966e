#include "framebridge/app/capture_loop.hpp"

#include "framebridge/app/synthetic_source.hpp"
#include "support/eventually.hpp"
#include "support/unique_name.hpp"

#include <gtest/gtest.h>

using namespace framebridge;
using framebridge::test::eventually;

namespace {

// A source that ends after `frames` grabs.
class FiniteSource : public app::SyntheticSource {
public:
    FiniteSource(const shm::FrameGeometry& g, int frames) : SyntheticSource(g), left_(frames) {}
    bool grab() override { return left_-- > 0; }

private:
    int left_;
};

class CaptureLoopTest : public ::testing::Test {
protected:
    const shm::FrameGeometry geometry{64, 16, shm::PixelFormat::Bgr8};
    shm::FrameRing ring =
        shm::FrameRing::create(test::unique_stream_name(), 3, geometry.payload_size());
    shm::LeaseTable leases{3};
    std::atomic<int> announced{0};
};

}  // namespace

TEST_F(CaptureLoopTest, publishesStampedFramesAndAnnouncesEachOne) {
    app::SyntheticSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, 0.0, [this] { ++announced; });
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 20; }));
    sut.stop();
    const auto stats = sut.stats();
    EXPECT_EQ(static_cast<std::uint64_t>(announced.load()), stats.published);
    EXPECT_EQ(ring.newest_seq(), stats.published);
    EXPECT_EQ(leases.newest_seq(), stats.published);
    for (std::uint32_t slot = 0; slot < 3; ++slot) {
        const std::uint64_t seq = ring.slot_sequence(slot);
        EXPECT_EQ(app::read_stamp(ring.slot_data(slot), 0), seq);
    }
}

TEST_F(CaptureLoopTest, neverWaitsForReadersButDropsAndCountsWhenNoSlotIsFree) {
    app::SyntheticSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, 0.0, [] {});
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published >= 1; }));
    // Readers pin two frames; once a third is the newest, no slot is left to write.
    const auto first = leases.lease_newest(0);
    ASSERT_TRUE(first);
    ASSERT_TRUE(eventually([&] { return leases.newest_seq() > first->seq; }));
    const auto second = leases.lease_newest(first->seq);
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

TEST_F(CaptureLoopTest, stopsPromptlyWhileWaitingForTheNextFrameTime) {
    app::SyntheticSource source(geometry);
    app::CaptureLoop sut(source, ring, leases, 0.01, [] {});
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.stats().published == 1; }));
    const auto before = std::chrono::steady_clock::now();
    sut.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds{10})
        << "stop waited for a 100 s frame period";
}

TEST_F(CaptureLoopTest, reportsTheEndOfAFiniteSource) {
    FiniteSource source(geometry, 5);
    app::CaptureLoop sut(source, ring, leases, 0.0, [] {});
    sut.start();
    ASSERT_TRUE(eventually([&] { return sut.ended(); }));
    EXPECT_EQ(sut.stats().published, 5u);
}
