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

    // Sends STREAM notices of near the largest size until `name` has had messages waiting
    // for 300 ms on end: its socket buffers (the server's send buffer may grow to 4 MB) are
    // full. A notice not yet written is replaced by the next, so how many that takes depends
    // on the machine's speed. `each` runs between notices. False if it never backed up.
    template <typename Each>
    bool flood_until_backed_up(const std::string& name, Each each) {
        using Clock = std::chrono::steady_clock;
        const std::string why(1000, 'w');
        const auto deadline = Clock::now() + std::chrono::seconds{30};
        bool backed_up = false;
        Clock::time_point backed_up_since{};
        for (int i = 0; Clock::now() < deadline; ++i) {
            sut.notify_stream_state(i % 2 == 0 ? app::StreamState::Lost : app::StreamState::Live,
                                    why);
            std::this_thread::sleep_for(std::chrono::microseconds{20});
            if (i % 20 != 0) {
                continue;
            }
            each();
            const auto stats = client(name);
            if (!stats) {
                return false;
            }
            if (stats->queued == 0) {
                backed_up = false;
            } else if (!backed_up) {
                backed_up = true;
                backed_up_since = Clock::now();
            } else if (Clock::now() - backed_up_since >= std::chrono::milliseconds{300}) {
                return true;
            }
        }
        return false;
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
    const auto flood_start = std::chrono::steady_clock::now();
    ASSERT_TRUE(flood_until_backed_up("stalled", [] {}));

    // The server does not wait for it: a new client is served at once.
    sut.notify_stream_state(app::StreamState::Live, "");
    TestClient good(sut.port());
    good.hello("good");
    publish(1);
    good.send(protocol::encode(protocol::Request{0}));
    ASSERT_TRUE(good.receive_until(protocol::MessageType::Frame))
        << "the server stopped serving for one stalled client";

    ASSERT_TRUE(eventually([&] { return sut.connection_stats().stopped_reading == 1; },
                           std::chrono::seconds{10}));
    EXPECT_GE(std::chrono::steady_clock::now() - flood_start, STALL_TIMEOUT)
        << "disconnected before its stall timeout";
    EXPECT_FALSE(client("stalled"));
    EXPECT_TRUE(client("good"));
}

TEST_F(StallTest, aClientSlowToReadIsSentOnlyTheNewestNotices) {
    TestClient slow(sut.port(), 2000, 4096);
    slow.hello("slow");
    std::uint32_t most_queued = 0;
    ASSERT_TRUE(flood_until_backed_up("slow", [&] {
        if (const auto stats = client("slow")) {
            most_queued = std::max(most_queued, stats->queued);
        }
    }));
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
