#include "app/server/notify_server_fixture.hpp"

#include "support/eventually.hpp"

using namespace framebridge;
using framebridge::test::eventually;
using framebridge::test::NotifyServerTest;
using framebridge::test::TestClient;
namespace protocol = framebridge::protocol;
using protocol::ErrorCode;

TEST_F(NotifyServerTest, welcomeNamesTheSegmentAndItsLimits) {
    TestClient client(sut.port());
    const protocol::Welcome w = client.hello();
    EXPECT_EQ(w.protocol_version, protocol::PROTOCOL_VERSION);
    EXPECT_EQ(w.layout_version, shm::LAYOUT_VERSION);
    EXPECT_EQ(w.segment_name, ring.name());
    EXPECT_EQ(w.segment_size, ring.header().segment_size);
    EXPECT_EQ(w.session_id, ring.header().session_id);
    EXPECT_EQ(w.slot_count, 3u);
    EXPECT_EQ(w.max_leases, 2u) << "every slot but the newest";
}

TEST_F(NotifyServerTest, aRequestGetsTheNewestFrameNotABacklog) {
    publish(1);
    publish(2);
    TestClient client(sut.port());
    client.hello();
    const auto frame = client.request(0);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->seq, 2u);
    EXPECT_EQ(frame->width, 64u);
    EXPECT_EQ(frame->height, 16u);
    EXPECT_EQ(frame->stride, 192u);
    EXPECT_EQ(frame->pixel_format, 1u);
    EXPECT_EQ(frame->capture_ns, 20u);
    EXPECT_EQ(frame->publish_ns, 21u);
    EXPECT_EQ(ring.slot_sequence(frame->slot), 2u);
    EXPECT_EQ(leases.lease_count(frame->slot), 1u);
}

TEST_F(NotifyServerTest, aRequestWaitsUntilANewerFrameIsPublished) {
    publish(1);
    TestClient client(sut.port());
    client.hello();
    client.send(protocol::encode(protocol::Request{1}));
    EXPECT_TRUE(client.silent_for()) << "a frame no newer than asked for was sent";
    publish(2);
    const auto frame = client.receive_frame();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->seq, 2u);
}

TEST_F(NotifyServerTest, releaseGivesTheSlotBackAndFeedsTheLatencyStatistics) {
    publish(1);
    TestClient client(sut.port());
    client.hello("stats-probe");
    const auto frame = client.request(0);
    ASSERT_TRUE(frame);
    client.send(protocol::encode(protocol::Release{frame->slot, frame->seq, frame->publish_ns + 500,
                                                   frame->publish_ns + 900}));
    ASSERT_TRUE(eventually([&] { return total_leases() == 0; }));
    ASSERT_TRUE(eventually([&] {
        const auto stats = sut.client_stats();
        return stats.size() == 1 && stats[0].ready.count == 1;
    }));
    const app::ClientStats stats = sut.client_stats().at(0);
    EXPECT_EQ(stats.name, "stats-probe");
    EXPECT_EQ(stats.frames, 1u);
    EXPECT_EQ(stats.ready.p50_ns, 500u);
    EXPECT_EQ(stats.hold.p50_ns, 400u);
    EXPECT_EQ(stats.held, 0u);
}

TEST_F(NotifyServerTest, aConnectionAppearsInTheStatisticsOnlyOnceItHasSaidHello) {
    TestClient client(sut.port());
    ASSERT_TRUE(eventually([&] { return sut.sessions_open() == 1; }));
    EXPECT_TRUE(sut.client_stats().empty());
    client.hello("late");
    ASSERT_TRUE(eventually([&] { return sut.client_stats().size() == 1; }));
    EXPECT_EQ(sut.client_stats()[0].name, "late");
}

TEST_F(NotifyServerTest, framesAClientNeverSawAreCountedAsSkipped) {
    publish(1);
    TestClient client(sut.port());
    client.hello();
    auto frame = client.request(0);
    ASSERT_TRUE(frame);
    client.send(protocol::encode(protocol::Release{frame->slot, frame->seq, 0, 0}));
    publish(2);
    publish(3);
    publish(4);
    frame = client.request(frame->seq);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->seq, 4u);
    ASSERT_TRUE(eventually([&] { return sut.client_stats().at(0).frames == 2; }));
    EXPECT_EQ(sut.client_stats().at(0).skipped, 2u);
}

TEST_F(NotifyServerTest, aClosedConnectionGivesBackEveryFrameItHeld) {
    publish(1);
    {
        TestClient client(sut.port());
        client.hello();
        ASSERT_TRUE(client.request(0));
        ASSERT_EQ(total_leases(), 1u);
    }
    EXPECT_TRUE(eventually([&] { return total_leases() == 0; }));
    EXPECT_TRUE(eventually([&] { return sut.client_stats().empty(); }));
}

TEST_F(NotifyServerTest, garbageGetsAnErrorAndOnlyThatConnectionCloses) {
    publish(1);
    TestClient good(sut.port());
    good.hello();
    TestClient bad(sut.port());
    bad.send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto error = bad.receive_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::BadMessage);
    EXPECT_NE(error->text.find("unknown message type"), std::string::npos) << error->text;
    EXPECT_TRUE(bad.closed_by_server());
    EXPECT_TRUE(good.request(0));
}

TEST_F(NotifyServerTest, aDifferentProtocolVersionIsToldBothVersions) {
    TestClient client(sut.port());
    client.send(protocol::encode(protocol::Hello{protocol::HELLO_MAGIC, 7, 1, "future", "", ""}));
    const auto error = client.receive_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::VersionMismatch);
    EXPECT_NE(error->text.find("version " + std::to_string(protocol::PROTOCOL_VERSION)),
              std::string::npos)
        << error->text;
    EXPECT_NE(error->text.find("version 7"), std::string::npos) << error->text;
}

TEST_F(NotifyServerTest, aVersion1ClientIsToldToUpgradeRatherThanThatItsHelloIsBad) {
    TestClient client(sut.port());
    // Version 1's HELLO: magic, version, pid, name size, name; no token size.
    client.send({18, 0, 0, 0, 1, 0, 0, 0, 0x46, 0x42, 0x52, 0x50, 1,
                 0,  0, 0, 9, 0, 0, 0, 2, 0,    0,    0,    'p',  'y'});
    const auto error = client.receive_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::VersionMismatch) << error->text;
}

TEST_F(NotifyServerTest, aWrongMagicIsRefused) {
    TestClient client(sut.port());
    client.send(protocol::encode(
        protocol::Hello{0x12345678, protocol::PROTOCOL_VERSION, 1, "imposter", "", ""}));
    const auto error = client.receive_error();
    ASSERT_TRUE(error);
    EXPECT_NE(error->text.find("not a FrameBridge client"), std::string::npos) << error->text;
}

TEST_F(NotifyServerTest, anythingBeforeHelloIsRefused) {
    TestClient client(sut.port());
    client.send(protocol::encode(protocol::Request{0}));
    const auto error = client.receive_error();
    ASSERT_TRUE(error);
    EXPECT_NE(error->text.find("first message must be HELLO"), std::string::npos) << error->text;
}

namespace {

class HandshakeTimeoutTest : public NotifyServerTest {
protected:
    HandshakeTimeoutTest()
        : NotifyServerTest(quick_policy([](app::SessionPolicy& p) {
              p.handshake_timeout = std::chrono::milliseconds{300};
          })) {}
};

}  // namespace

TEST_F(HandshakeTimeoutTest, aSilentConnectionIsClosedAfterTheHandshakeTimeout) {
    TestClient client(sut.port(), 3000);
    const auto error = client.receive_error();
    ASSERT_TRUE(error);
    EXPECT_NE(error->text.find("no HELLO within 300 ms"), std::string::npos) << error->text;
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(NotifyServerTest, releasingAFrameNotHeldClosesTheConnectionAndKeepsOtherLeases) {
    publish(1);
    TestClient holder(sut.port());
    holder.hello();
    const auto held = holder.request(0);
    ASSERT_TRUE(held);
    TestClient liar(sut.port());
    liar.hello();
    liar.send(protocol::encode(protocol::Release{held->slot, held->seq, 0, 0}));
    const auto error = liar.receive_error();
    ASSERT_TRUE(error);
    EXPECT_NE(error->text.find("does not hold"), std::string::npos) << error->text;
    EXPECT_EQ(leases.lease_count(held->slot), 1u);
}

TEST_F(NotifyServerTest, aSecondOutstandingRequestIsAProtocolError) {
    publish(1);
    TestClient client(sut.port());
    client.hello();
    client.send(protocol::encode(protocol::Request{5}));
    client.send(protocol::encode(protocol::Request{5}));
    const auto error = client.receive_error();
    ASSERT_TRUE(error);
    EXPECT_NE(error->text.find("outstanding"), std::string::npos) << error->text;
}

TEST_F(NotifyServerTest, askingBeyondTheLeaseLimitIsRefusedWithTheLimit) {
    publish(1);
    TestClient client(sut.port());
    client.hello();
    ASSERT_TRUE(client.request(0));
    publish(2);
    ASSERT_TRUE(client.request(1));
    client.send(protocol::encode(protocol::Request{2}));
    const auto error = client.receive_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::LeaseLimit);
    EXPECT_NE(error->text.find("limit is 2"), std::string::npos) << error->text;
    EXPECT_TRUE(eventually([&] { return total_leases() == 0; }));
}

TEST_F(NotifyServerTest, twoClientsEachGetTheNewestFrame) {
    publish(1);
    TestClient a(sut.port());
    TestClient b(sut.port());
    a.hello("a");
    b.hello("b");
    const auto fa = a.request(0);
    const auto fb = b.request(0);
    ASSERT_TRUE(fa && fb);
    EXPECT_EQ(fa->seq, 1u);
    EXPECT_EQ(fb->seq, 1u);
    EXPECT_EQ(leases.lease_count(fa->slot), 2u);
}

TEST_F(NotifyServerTest, aTakenPortIsRefusedWithTheNumberAndWhatToDo) {
    try {
        app::NotifyServer second(io, "127.0.0.1", sut.port(), ring, leases);
        FAIL() << "two servers listen on one port";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(std::to_string(sut.port())), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("--port"), std::string::npos) << e.what();
    }
}

TEST_F(NotifyServerTest, aListenAddressThatIsNotAnAddressIsNamed) {
    try {
        app::NotifyServer second(io, "localhost:80", 0, ring, leases);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("localhost:80"), std::string::npos);
    }
}
