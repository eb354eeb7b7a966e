// A client that stops reading: the server goes on for everyone else, keeps only the newest
// notices for it, and disconnects it once a message has waited the stall timeout.
#include "app/notify_server_fixture.hpp"

#include "support/eventually.hpp"

#include <algorithm>

using namespace framebridge;
using framebridge::test::eventually;
using framebridge::test::NotifyServerTest;
using framebridge::test::TestClient;
namespace protocol = framebridge::app::protocol;

namespace {

constexpr auto STALL_TIMEOUT = std::chrono::milliseconds{1000};

class StallTest : public NotifyServerTest {
protected:
    StallTest()
        : NotifyServerTest(
              quick_policy([](app::SessionPolicy& p) { p.stall_timeout = STALL_TIMEOUT; })) {}

    // Far more STREAM notices, of near the largest size, than socket buffers hold (the
    // server's send buffer may grow to 4 MB). Paced, so that each is written before the next
    // comes rather than replaced by it; `each` runs every 100.
    template <typename Each>
    void flood_with_notices(Each each) {
        const std::string why(1000, 'w');
        for (int i = 0; i < 12000; ++i) {
            sut.notify_stream_state(i % 2 == 0 ? app::StreamState::Lost : app::StreamState::Live,
                                    why);
            if (i % 100 == 0) {
                each();
            }
            std::this_thread::sleep_for(std::chrono::microseconds{20});
        }
    }

    std::optional<app::ClientStats> client(const std::string& name) const {
        for (const app::ClientStats& stats : sut.client_stats()) {
            if (stats.name == name) {
                return stats;
            }
        }
        return std::nullopt;
    }
};

}  // namespace

TEST_F(StallTest, aClientThatStopsReadingIsDisconnectedAndCountedOthersGoOn) {
    TestClient stalled(sut.port(), 2000, 4096);
    stalled.hello("stalled");
    bool served_while_stalled = false;
    const auto flood_start = std::chrono::steady_clock::now();
    flood_with_notices([&] {
        const auto stats = client("stalled");
        if (served_while_stalled || !stats || stats->queued == 0) {
            return;
        }
        // The stalled client is backed up: a new client is still served at once.
        sut.notify_stream_state(app::StreamState::Live, "");
        TestClient good(sut.port());
        good.hello("good");
        publish(1);
        good.send(protocol::encode(protocol::Request{0}));
        served_while_stalled = good.receive_until(protocol::MessageType::Frame).has_value();
        ASSERT_TRUE(served_while_stalled) << "the server stopped serving for one stalled client";
    });
    ASSERT_TRUE(served_while_stalled) << "the stalled client never backed up the server";

    ASSERT_TRUE(eventually([&] { return sut.connection_stats().stopped_reading == 1; },
                           std::chrono::seconds{10}));
    EXPECT_GE(std::chrono::steady_clock::now() - flood_start, STALL_TIMEOUT)
        << "disconnected before its stall timeout";
    EXPECT_FALSE(client("stalled"));
    EXPECT_EQ(total_leases(), 0u);
}

TEST_F(StallTest, aClientSlowToReadIsSentOnlyTheNewestNotices) {
    TestClient slow(sut.port(), 2000, 4096);
    slow.hello("slow");
    std::uint32_t most_queued = 0;
    flood_with_notices([&] {
        if (const auto stats = client("slow")) {
            most_queued = std::max(most_queued, stats->queued);
        }
    });
    EXPECT_GE(most_queued, 1u) << "the socket buffers never filled; the test proves nothing";
    EXPECT_LE(most_queued, 2u) << "notices were queued, not replaced";
}

TEST_F(StallTest, anIdleClientWithNothingToReadStays) {
    TestClient idle(sut.port());
    idle.hello("idle");
    std::this_thread::sleep_for(STALL_TIMEOUT * 2);
    EXPECT_TRUE(client("idle"));
    EXPECT_EQ(sut.connection_stats().stopped_reading, 0u);
    publish(1);
    EXPECT_TRUE(idle.request(0));
}
