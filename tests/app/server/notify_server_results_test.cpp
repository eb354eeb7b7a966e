// Results: a RESULT goes, as RESULT_FROM, to every connection that watches the sender's stream
// and to the program's own handlers; a watcher that reads slowly loses the oldest, counted.

#include "app/server/notify_server_fixture.hpp"
#include "app/server/publish_client.hpp"

#include "support/eventually.hpp"

#include <atomic>
#include <mutex>
#include <stdexcept>

namespace framebridge::test {
namespace {

using protocol::MessageType;

protocol::Result result_about(std::uint64_t seq) {
    protocol::Result r;
    r.seq = seq;
    r.capture_ns = seq * 10;
    r.sent_ns = seq * 10 + 5;
    r.boxes = {{120, 80, 64, 72}};
    r.labels = {"face"};
    r.scores = {0.75f};
    r.text = "1 face";
    return r;
}

// Near the largest RESULT: a slow watcher's socket buffers fill after a few of them.
protocol::Result large_result(std::uint64_t seq) {
    protocol::Result r;
    r.seq = seq;
    r.points.resize(protocol::MAX_RESULT_POINTS);
    r.boxes.resize(protocol::MAX_RESULT_BOXES);
    r.text = std::string(protocol::MAX_RESULT_TEXT_BYTES, 't');
    return r;
}

class ResultsTest : public NotifyServerTest {
protected:
    // A slow watcher is kept waiting on purpose: only the 8-result rule may act on it.
    ResultsTest()
        : NotifyServerTest(quick_policy(
              [](app::SessionPolicy& p) { p.stall_timeout = std::chrono::minutes{2}; })) {}

    // Any message, then LIST: the server answers the LIST once it has read what came before.
    static void send_and_wait(TestClient& client, const protocol::Bytes& message) {
        client.send(message);
        client.send(protocol::encode(protocol::List{}));
        ASSERT_TRUE(client.receive_until(MessageType::Streams)) << "no answer to LIST";
    }

    static void watch(TestClient& client, bool on = true) {
        send_and_wait(client, protocol::encode(protocol::Watch{on}));
    }

    static std::optional<protocol::ResultFrom> receive_result(TestClient& client) {
        const auto body = client.receive_until(MessageType::ResultFrom);
        if (!body) {
            return std::nullopt;
        }
        return protocol::parse_result_from(*body);
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

TEST_F(ResultsTest, aResultReachesTheWatchersOfItsSendersStreamOnly) {
    TestClient sender(sut.port());
    const std::uint32_t sender_id = sender.hello("faces").client_id;
    TestClient watcher(sut.port());
    watcher.hello("watcher");
    watch(watcher);
    TestClient bystander(sut.port());
    bystander.hello("bystander");
    PublishClient publisher(sut.port());
    const std::string other = unique_stream_name();
    publisher.publish_ok(other, {32, 8, shm::PixelFormat::Gray8});
    TestClient elsewhere(sut.port());
    elsewhere.hello("elsewhere", "", other);
    watch(elsewhere);

    const std::uint64_t before_ns = shm::monotonic_now_ns();
    send_and_wait(sender, protocol::encode(result_about(41)));

    const auto got = receive_result(watcher);
    ASSERT_TRUE(got) << "the watcher got no RESULT_FROM";
    EXPECT_EQ(got->sender_id, sender_id);
    EXPECT_EQ(got->sender_name, "faces");
    EXPECT_EQ(got->skipped, 0u);
    EXPECT_GE(got->received_ns, before_ns);
    EXPECT_LE(got->received_ns, shm::monotonic_now_ns());
    EXPECT_EQ(protocol::encode(got->result), protocol::encode(result_about(41)));
    EXPECT_TRUE(bystander.silent_for()) << "a client that does not watch got the result";
    EXPECT_TRUE(elsewhere.silent_for()) << "a watcher of another stream got the result";
    EXPECT_TRUE(sender.silent_for()) << "a sender that does not watch got its own result";
}

TEST_F(ResultsTest, watchZeroStopsTheResults) {
    TestClient sender(sut.port());
    sender.hello("faces");
    TestClient watcher(sut.port());
    watcher.hello("watcher");
    watch(watcher);
    send_and_wait(sender, protocol::encode(result_about(1)));
    ASSERT_TRUE(receive_result(watcher));

    watch(watcher, false);
    send_and_wait(sender, protocol::encode(result_about(2)));
    EXPECT_TRUE(watcher.silent_for());
}

TEST_F(ResultsTest, aSenderThatWatchesGetsItsOwnResults) {
    TestClient sender(sut.port());
    const std::uint32_t id = sender.hello("faces").client_id;
    watch(sender);
    sender.send(protocol::encode(result_about(7)));
    const auto got = receive_result(sender);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->sender_id, id);
    EXPECT_EQ(got->result.seq, 7u);
}

TEST_F(ResultsTest, aResultForAFrameLongGoneIsStillDelivered) {
    TestClient sender(sut.port());
    sender.hello("faces");
    TestClient watcher(sut.port());
    watcher.hello("watcher");
    watch(watcher);
    publish(1);
    const auto frame = sender.request(0);
    ASSERT_TRUE(frame);
    sender.send(protocol::encode(protocol::Release{frame->slot, frame->seq, 0, 0}));
    for (std::uint64_t seq = 2; seq <= 9; ++seq) {
        publish(seq);  // frame 1's slot is written again, more than once
    }

    sender.send(protocol::encode(result_about(frame->seq)));
    const auto got = receive_result(watcher);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->result.seq, 1u);
}

TEST_F(ResultsTest, aMalformedResultIsAnErrorNamingTheFieldAndClosesOnlyItsConnection) {
    TestClient bad(sut.port());
    bad.hello("bad");
    TestClient good(sut.port());
    good.hello("good");
    TestClient watcher(sut.port());
    watcher.hello("watcher");
    watch(watcher);

    protocol::Bytes negative_width = protocol::encode(result_about(1));
    const std::size_t width_at = protocol::HEADER_BYTES + 48 + 8;
    negative_width[width_at] = 0xfc;  // -4
    std::fill(negative_width.begin() + width_at + 1, negative_width.begin() + width_at + 4, 0xff);
    bad.send(negative_width);

    const auto error = bad.receive_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, protocol::ErrorCode::BadMessage);
    EXPECT_EQ(error->text, "RESULT box 0 has a negative width -4");
    EXPECT_TRUE(bad.closed_by_server());
    send_and_wait(good, protocol::encode(result_about(2)));
    const auto got = receive_result(watcher);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->result.seq, 2u) << "the malformed result was relayed";
    EXPECT_EQ(sut.connection_stats().bad_messages, 1u);
}

TEST_F(ResultsTest, aSlowWatcherKeepsAtMostEightWaitingAndLearnsHowManyItMissed) {
    TestClient sender(sut.port());
    sender.hello("faces");
    TestClient slow(sut.port(), TestClient::ANSWER_TIMEOUT_MS, 4096);
    slow.hello("slow");
    watch(slow);

    // More results than the 64 messages a client that does not read may have waiting.
    std::uint64_t sent = 0;
    std::uint32_t most_queued = 0;
    const bool skipped_many = eventually(
        [&] {
            send_and_wait(sender, protocol::encode(large_result(++sent)));
            const auto stats = client("slow");
            most_queued = std::max(most_queued, stats ? stats->queued : 0);
            return stats && stats->results_skipped > 64;
        },
        std::chrono::seconds{60});
    ASSERT_TRUE(skipped_many) << sent << " results sent";
    EXPECT_LE(most_queued, 1u + 8u) << "the one being written and eight waiting";
    EXPECT_EQ(sut.connection_stats().stopped_reading, 0u);

    bool told_of_skips = false;
    while (!told_of_skips) {
        const auto got = receive_result(slow);
        ASSERT_TRUE(got) << "the slow watcher was disconnected or got nothing";
        told_of_skips = got->skipped > 0;
    }
}

TEST_F(ResultsTest, statisticsCountResultsAndTheirCaptureToResultTime) {
    TestClient sender(sut.port());
    sender.hello("faces");
    const std::uint64_t now_ns = shm::monotonic_now_ns();
    protocol::Result measured = result_about(1);
    measured.capture_ns = now_ns - 5'000'000;
    protocol::Result unknown = result_about(2);
    unknown.capture_ns = 0;
    protocol::Result future = result_about(3);
    future.capture_ns = now_ns + 3'600'000'000'000;
    for (const auto& r : {measured, unknown, future}) {
        sender.send(protocol::encode(r));
    }
    send_and_wait(sender, protocol::encode(protocol::List{}));

    const auto stats = client("faces");
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->results, 3u);
    EXPECT_EQ(stats->to_result.count, 1u) << "only a capture time before now is measured";
    EXPECT_GE(stats->to_result.p50_ns, 5'000'000u);
    EXPECT_EQ(stats->results_skipped, 0u);
}

TEST_F(ResultsTest, theProgramsHandlersGetEveryResultWithItsStream) {
    std::mutex mutex;
    std::vector<app::ResultEvent> events;
    sut.on_result([&](const app::ResultEvent& event) {
        const std::lock_guard lock(mutex);
        events.push_back(event);
    });
    PublishClient publisher(sut.port());
    const std::string other = unique_stream_name();
    publisher.publish_ok(other, {32, 8, shm::PixelFormat::Gray8});
    TestClient sender(sut.port());
    const std::uint32_t id = sender.hello("faces", "", other).client_id;

    send_and_wait(sender, protocol::encode(result_about(5)));

    const std::lock_guard lock(mutex);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].stream, other);
    EXPECT_EQ(events[0].sender_id, id);
    EXPECT_EQ(events[0].sender_name, "faces");
    EXPECT_GT(events[0].received_ns, 0u);
    EXPECT_EQ(events[0].result.seq, 5u);
    EXPECT_EQ(events[0].result.labels, std::vector<std::string>{"face"});
}

TEST_F(ResultsTest, aHandlerThatThrowsKeepsTheResultFromNoOneElse) {
    std::atomic<int> later_handler_calls{0};
    sut.on_result([](const app::ResultEvent&) { throw std::runtime_error("handler bug"); });
    sut.on_result([](const app::ResultEvent&) { throw 42; });  // not a std::exception
    sut.on_result([&](const app::ResultEvent&) { ++later_handler_calls; });
    TestClient sender(sut.port());
    sender.hello("faces");

    send_and_wait(sender, protocol::encode(result_about(1)));
    send_and_wait(sender, protocol::encode(result_about(2)));

    EXPECT_EQ(later_handler_calls.load(), 2);
    EXPECT_EQ(sut.connection_stats().bad_messages, 0u);
}

}  // namespace
}  // namespace framebridge::test
