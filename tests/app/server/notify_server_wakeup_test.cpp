// The FRAME for a client that waits goes out on the thread that published the frame (one
// wake-up: the client's), never ahead of a notice announced before it; a client that does not
// wait is served by the io thread when it asks, as before.
#include "app/server/notify_server_fixture.hpp"

#include "support/eventually.hpp"

#include <vector>

using namespace framebridge;
using framebridge::test::eventually;
using framebridge::test::NotifyServerTest;
using framebridge::test::TestClient;
namespace protocol = framebridge::protocol;
using protocol::MessageType;
using protocol::StreamState;

namespace {

// Takes frame 1 and gives it back, then asks for a newer one and returns once the server has
// the REQUEST.
void wait_for_frame_after_the_first(TestClient& client, app::NotifyServer& sut) {
    const auto first = client.request(0);
    ASSERT_TRUE(first);
    client.send(protocol::encode(protocol::Release{first->slot, first->seq, 0, 0}));
    client.send(protocol::encode(protocol::Request{first->seq}));
    ASSERT_TRUE(eventually([&] { return sut.client_stats().at(0).waiting; }));
}

}  // namespace

TEST_F(NotifyServerTest, aWaitingClientIsSentItsFrameByThePublishingThread) {
#ifdef _WIN32
    GTEST_SKIP() << "on Windows every FRAME is written by the io thread (send_without_waiting)";
#endif
    publish(1);
    TestClient client(sut.port());
    client.hello();
    wait_for_frame_after_the_first(client, sut);
    // The io thread may still hold the session it just read the REQUEST on (for longer than
    // any pause on a loaded machine): publishing then rightly leaves the frame to it. So try
    // a few frames; one that finds the session free must go out on this thread.
    constexpr std::uint64_t TRIES = 20;
    std::uint64_t seq = 2;
    for (; seq <= TRIES + 1; ++seq) {
        EXPECT_TRUE(client.silent_for());
        publish(seq);  // on this thread, not the server's io thread
        const auto frame = client.receive_frame();
        ASSERT_TRUE(frame);
        EXPECT_EQ(frame->seq, seq);
        EXPECT_EQ(leases.lease_count(frame->slot), 1u);
        if (sut.client_stats().at(0).sent_at_publish > 0) {
            break;
        }
        client.send(protocol::encode(protocol::Release{frame->slot, frame->seq, 0, 0}));
        client.send(protocol::encode(protocol::Request{frame->seq}));
        ASSERT_TRUE(eventually([&] { return sut.client_stats().at(0).waiting; }));
    }
    const app::ClientStats stats = sut.client_stats().at(0);
    EXPECT_EQ(stats.sent_at_publish, 1u) << "the io thread wrote every FRAME of " << TRIES;
    EXPECT_EQ(stats.frames, seq);
    EXPECT_FALSE(stats.waiting);
}

TEST_F(NotifyServerTest, aClientThatIsNotWaitingIsSentNothingUntilItAsks) {
    publish(1);
    TestClient client(sut.port());
    client.hello();
    ASSERT_TRUE(eventually([&] { return sut.client_stats().size() == 1; }));
    publish(2);
    publish(3);
    EXPECT_TRUE(client.silent_for()) << "a frame was sent that nobody asked for";

    const auto frame = client.request(0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->seq, 3u);
    EXPECT_EQ(sut.client_stats().at(0).sent_at_publish, 0u);
    EXPECT_EQ(total_leases(), 1u);
}

TEST_F(NotifyServerTest, aFrameNeverOvertakesANoticeAnnouncedBeforeIt) {
    publish(1);
    TestClient client(sut.port());
    client.hello();
    wait_for_frame_after_the_first(client, sut);

    sut.notify_stream_state(StreamState::Lost, "unplugged");
    sut.notify_stream_state(StreamState::Live, "back");
    publish(2);  // before the io thread has told anyone of either

    std::vector<StreamState> told;
    auto message = client.receive();
    while (message && message->first.type == MessageType::Stream) {
        told.push_back(protocol::parse_stream(message->second).state);
        message = client.receive();
    }
    ASSERT_TRUE(message);
    ASSERT_EQ(message->first.type, MessageType::Frame);
    EXPECT_EQ(protocol::parse_frame(message->second).seq, 2u);
    ASSERT_FALSE(told.empty()) << "the FRAME came before the notices";
    EXPECT_EQ(told.back(), StreamState::Live);
}

TEST_F(NotifyServerTest, eachOfSeveralWaitingClientsIsSentTheFrameOnce) {
    publish(1);
    TestClient first(sut.port());
    first.hello("first");
    TestClient second(sut.port());
    second.hello("second");
    ASSERT_TRUE(eventually([&] { return sut.client_stats().size() == 2; }));
    for (TestClient* client : {&first, &second}) {
        const auto frame = client->request(0);
        ASSERT_TRUE(frame);
        client->send(protocol::encode(protocol::Release{frame->slot, frame->seq, 0, 0}));
        client->send(protocol::encode(protocol::Request{frame->seq}));
    }
    ASSERT_TRUE(eventually([&] {
        const auto stats = sut.client_stats();
        return stats.size() == 2 && stats[0].waiting && stats[1].waiting;
    }));

    publish(2);
    publish(3);

    for (TestClient* client : {&first, &second}) {
        const auto frame = client->receive_frame();
        ASSERT_TRUE(frame);
        EXPECT_EQ(frame->seq >= 2u, true);
        EXPECT_TRUE(client->silent_for()) << "a second FRAME for one REQUEST";
    }
    EXPECT_EQ(total_leases(), 2u);
}
