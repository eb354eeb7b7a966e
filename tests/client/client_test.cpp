// framebridge::Client against the real NotifyServer, frames published by hand.

#include "framebridge/client/client.hpp"

#include "support/eventually.hpp"
#include "support/hand_server.hpp"
#include "support/stamps.hpp"

#include <gtest/gtest.h>
#include <cstring>

using namespace framebridge;
using framebridge::test::eventually;
using framebridge::test::HandServer;
using namespace std::chrono_literals;

namespace {

ConnectOptions options_for(const HandServer& server) {
    ConnectOptions options;
    options.port = server.server.port();
    options.name = "client_test";
    return options;
}

}  // namespace

TEST(Client, handsOverTheNewestFrameInPlaceWithItsGeometryAndTimes) {
    HandServer server;
    server.publish(1);
    const std::uint32_t slot = server.publish(2);
    Client sut(options_for(server));

    const Frame frame = sut.latest(5s);

    EXPECT_EQ(frame.seq(), 2u);
    EXPECT_EQ(frame.slot(), slot);
    EXPECT_EQ(frame.width(), 64u);
    EXPECT_EQ(frame.height(), 16u);
    EXPECT_EQ(frame.stride(), 192u);
    EXPECT_EQ(frame.format(), PixelFormat::Bgr8);
    EXPECT_EQ(std::memcmp(frame.data(), server.ring.slot_data(slot), frame.size_bytes()), 0);
    EXPECT_EQ(test::stamp_problem(frame), "");
    EXPECT_GE(frame.receive_ns(), frame.publish_ns());
    EXPECT_TRUE(frame.valid());
    EXPECT_EQ(sut.segment_name(), server.ring.name());
    EXPECT_EQ(sut.max_leases(), HandServer::SLOTS - 1);
    EXPECT_EQ(sut.newest_seq(), 2u);
}

TEST(Client, aFrameGivesItsLeaseBackWhenReleasedAndWhenItGoes) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    Frame first = sut.latest(5s);
    ASSERT_TRUE(eventually([&] { return server.total_leases() == 1; }));

    first.release();
    EXPECT_TRUE(first.released());
    ASSERT_TRUE(eventually([&] { return server.total_leases() == 0; }));

    server.publish(2);
    {
        const Frame second = sut.latest(5s);
        ASSERT_TRUE(eventually([&] { return server.total_leases() == 1; }));
    }
    EXPECT_TRUE(eventually([&] { return server.total_leases() == 0; }));
}

TEST(Client, holdingMaxLeasesFramesRefusesAnotherUntilOneIsReleased) {
    HandServer server;
    Client sut(options_for(server));
    server.publish(1);
    Frame first = sut.latest(5s);
    server.publish(2);
    const Frame second = sut.latest(5s);

    try {
        sut.latest(100ms);
        FAIL() << "a third frame was handed over";
    } catch (const FrameBridgeError& e) {
        EXPECT_NE(std::string(e.what()).find("holds 2 frame(s) (seq 1, 2)"), std::string::npos)
            << e.what();
    }

    first.release();
    server.publish(3);
    EXPECT_EQ(sut.latest(5s).seq(), 3u);
}

TEST(Client, aTimedOutRequestStaysOpenForTheNextCall) {
    HandServer server;
    Client sut(options_for(server));

    EXPECT_THROW(sut.latest(50ms), Timeout);
    server.publish(7);

    EXPECT_EQ(sut.latest(5s).seq(), 7u);
}

TEST(Client, aFrameWhoseSlotIsRewrittenIsNoLongerValidAndCannotBeCopied) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    const Frame frame = sut.latest(5s);
    const std::vector<std::uint8_t> pixels = frame.copy();
    ASSERT_EQ(pixels.size(), 64u * 16u * 3u);
    EXPECT_EQ(pixels[0], 1u);
    EXPECT_EQ(pixels[pixels.size() - 8], 1u);

    // What the producer does to a slot whose lease it took back.
    server.ring.begin_write(frame.slot());

    EXPECT_FALSE(frame.valid());
    EXPECT_THROW(frame.copy(), FrameOverwritten);
}

TEST(Client, anEndedStreamEndsIterationAndLatestSaysSo) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    int frames = 0;

    for (Frame& frame : sut) {
        EXPECT_EQ(frame.seq(), 1u);
        ++frames;
        server.server.notify_stream_state(protocol::StreamState::Ended, "end of file");
    }

    EXPECT_EQ(frames, 1);
    EXPECT_EQ(sut.stream_state(), StreamState::Ended);
    EXPECT_THROW(sut.latest(1s), StreamEnded);
}

TEST(Client, aStreamStateItDoesNotKnowReadsAsNotLive) {
    HandServer server;
    Client sut(options_for(server));
    server.server.notify_stream_state(static_cast<protocol::StreamState>(9), "something new");

    EXPECT_THROW(sut.latest(200ms), Timeout);

    EXPECT_EQ(sut.stream_state(), StreamState::Unknown);
}

TEST(Client, iterationGivesBackEachFrameBeforeTakingTheNext) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    std::uint64_t next = 2;

    for (Frame& frame : sut) {
        EXPECT_EQ(server.total_leases(), 1u);
        if (frame.seq() == 5) {
            break;
        }
        server.publish(next++);
    }

    EXPECT_EQ(next, 6u);
}

TEST(Client, closingGivesBackEveryFrameAndHeldPixelsStayReadable) {
    HandServer server;
    server.publish(1);
    Client sut(options_for(server));
    Frame frame = sut.latest(5s);

    sut.close();

    EXPECT_TRUE(eventually([&] { return server.total_leases() == 0; }));
    EXPECT_EQ(test::stamp_problem(frame), "");
    frame.release();
    EXPECT_THROW(sut.latest(1s), FrameBridgeError);
}

TEST(Client, aWrongTokenIsAccessDenied) {
    app::SessionPolicy policy;
    policy.token = "right-token";
    HandServer server(policy);
    ConnectOptions options = options_for(server);
    options.token = "wrong-token";

    EXPECT_THROW(Client{options}, AccessDenied);

    options.token = "right-token";
    EXPECT_NO_THROW(Client{options});
}

TEST(Client, noServerIsServerUnavailable) {
    ConnectOptions options;
    options.port = 1;

    EXPECT_THROW(Client{options}, ServerUnavailable);
}
