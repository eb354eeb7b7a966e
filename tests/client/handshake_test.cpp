// What the client sends in HELLO, and how it reads the names and FRAMEs the server sends.

#include "handshake.hpp"

#include "framebridge/client/errors.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <thread>
#include <vector>

using namespace framebridge;

TEST(Handshake, aNameLosesItsControlCharactersAndIsCutAt64BytesBetweenCharacters) {
    EXPECT_EQ(detail::hello_name("tracker\n\t1"), "tracker??1");

    EXPECT_EQ(detail::hello_name(std::string(100, 'a')), std::string(64, 'a'));
    // A two-byte character across the 64th byte goes whole.
    EXPECT_EQ(detail::hello_name(std::string(63, 'a') + "\xC3\xA9"), std::string(63, 'a'));
}

TEST(Handshake, aTokenMustBePrintableAndFitTheServersLimit) {
    EXPECT_EQ(detail::checked_token(std::string("secret")), "secret");
    EXPECT_THROW(detail::checked_token(std::string("sec\nret")), FrameBridgeError);
    EXPECT_THROW(detail::checked_token(std::string(257, 'x')), FrameBridgeError);
}

TEST(Handshake, aStreamToAskForFollowsTheStreamNameRuleOrIsEmptyForTheFirst) {
    EXPECT_EQ(detail::checked_stream(""), "");
    EXPECT_EQ(detail::checked_stream("front-1.cam_b"), "front-1.cam_b");

    try {
        detail::checked_stream("front cam");
        FAIL() << "a name with a space was accepted";
    } catch (const FrameBridgeError& e) {
        EXPECT_NE(std::string(e.what()).find("'front cam'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(detail::checked_stream(".hidden"), FrameBridgeError);
}

TEST(Handshake, aWelcomeToAnotherStreamThanTheOneAskedForIsAProtocolMismatch) {
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::address_v4::loopback(), 0});
    // A server that answers any HELLO with a WELCOME to stream "other".
    std::thread server([&acceptor] {
        boost::system::error_code ignored;
        asio::ip::tcp::socket peer = acceptor.accept();
        std::vector<std::uint8_t> hello(512);
        peer.read_some(asio::buffer(hello), ignored);
        protocol::Welcome welcome;
        welcome.layout_version = shm::LAYOUT_VERSION;
        welcome.slot_count = 3;
        welcome.max_leases = 2;
        welcome.segment_name = "other";
        welcome.stream = "other";
        asio::write(peer, asio::buffer(protocol::encode(welcome)), ignored);
    });
    const std::chrono::milliseconds timeout{5000};
    detail::Connection connection("127.0.0.1", acceptor.local_endpoint().port(), timeout);

    try {
        detail::handshake(connection, {"handshake_test", "", "asked"}, timeout);
        ADD_FAILURE() << "a WELCOME to another stream was taken";
    } catch (const ProtocolMismatch& e) {
        EXPECT_NE(std::string(e.what()).find("asked for stream 'asked' and answered with stream "
                                             "'other'"),
                  std::string::npos)
            << e.what();
    }
    server.join();
}

TEST(Handshake, aFrameThatDoesNotFitItsSlotIsNamed) {
    const auto ring = shm::FrameRing::create(test::unique_stream_name(), 3, 4096);
    protocol::FrameMessage frame;
    frame.slot = 1;
    frame.pixel_format = 1;
    frame.seq = 9;
    frame.width = 16;
    frame.height = 4;
    frame.stride = 64;
    frame.payload_size = 256;
    EXPECT_EQ(detail::frame_problem(frame, ring), "");

    auto bad = frame;
    bad.slot = 3;
    EXPECT_EQ(detail::frame_problem(bad, ring), "slot 3 is not below slot_count 3");
    bad = frame;
    bad.pixel_format = 7;
    EXPECT_EQ(detail::frame_problem(bad, ring), "unknown pixel_format 7");
    bad = frame;
    bad.stride = 32;
    EXPECT_EQ(detail::frame_problem(bad, ring), "stride 32 is less than width 16 x 3 bytes");
    bad = frame;
    bad.height = 65;
    EXPECT_EQ(detail::frame_problem(bad, ring), "stride 64 x height 65 exceeds slot_capacity 4096");
}
