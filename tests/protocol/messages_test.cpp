#include "framebridge/protocol/messages.hpp"

#include <gtest/gtest.h>

using namespace framebridge::protocol;

namespace {

// Splits an encoded message into its checked header and its body.
std::pair<MessageHeader, Bytes> split(const Bytes& message, Sender from) {
    const MessageHeader header = parse_header(message.data(), from);
    EXPECT_EQ(header.body_size, message.size() - HEADER_BYTES);
    return {header, Bytes(message.begin() + HEADER_BYTES, message.end())};
}

Bytes header_bytes(std::uint32_t body_size, std::uint16_t type) {
    Bytes out(HEADER_BYTES);
    for (int i = 0; i < 4; ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(body_size >> (8 * i));
    }
    out[4] = static_cast<std::uint8_t>(type);
    out[5] = static_cast<std::uint8_t>(type >> 8);
    return out;
}

}  // namespace

TEST(Protocol, helloRoundTrips) {
    const Hello sent{HELLO_MAGIC, PROTOCOL_VERSION, 4242, "edge_detector", "s3cret", "front"};
    const auto [header, body] = split(encode(sent), Sender::Client);
    EXPECT_EQ(header.type, MessageType::Hello);
    const Hello got = parse_hello(body);
    EXPECT_EQ(got.magic, HELLO_MAGIC);
    EXPECT_EQ(got.protocol_version, PROTOCOL_VERSION);
    EXPECT_EQ(got.client_pid, 4242u);
    EXPECT_EQ(got.name, "edge_detector");
    EXPECT_EQ(got.token, "s3cret");
    EXPECT_EQ(got.stream, "front");
}

TEST(Protocol, aHelloOfAnotherVersionIsReadAsFarAsItsVersion) {
    // A HELLO of version 1: no token size, so this version's layout would not fit it.
    const Bytes v1 = {0x46, 0x42, 0x52, 0x50, 1, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0, 0, 'p', 'y'};
    const Hello got = parse_hello(v1);
    EXPECT_EQ(got.magic, HELLO_MAGIC);
    EXPECT_EQ(got.protocol_version, 1u);
    EXPECT_TRUE(got.name.empty());
}

TEST(Protocol, welcomeRoundTrips) {
    Welcome sent;
    sent.layout_version = 1;
    sent.segment_size = 74'649'600;
    sent.session_id = 0x1122334455667788;
    sent.slot_count = 3;
    sent.max_leases = 1;
    sent.client_id = 9;
    sent.segment_name = "framebridge";
    sent.stream = "cam";
    const auto [header, body] = split(encode(sent), Sender::Server);
    const Welcome got = parse_welcome(body);
    EXPECT_EQ(got.segment_size, sent.segment_size);
    EXPECT_EQ(got.session_id, sent.session_id);
    EXPECT_EQ(got.slot_count, 3u);
    EXPECT_EQ(got.max_leases, 1u);
    EXPECT_EQ(got.client_id, 9u);
    EXPECT_EQ(got.segment_name, "framebridge");
    EXPECT_EQ(got.stream, "cam");
}

TEST(Protocol, frameRoundTripsAndIsSixtyFourBytes) {
    FrameMessage sent;
    sent.slot = 2;
    sent.pixel_format = 1;
    sent.seq = 1'000'001;
    sent.width = 3840;
    sent.height = 2160;
    sent.stride = 11520;
    sent.payload_size = 11520ull * 2160;
    sent.capture_ns = 111;
    sent.publish_ns = 222;
    sent.source_seq = 41;
    const Bytes message = encode(sent);
    EXPECT_EQ(message.size(), HEADER_BYTES + 64);
    const FrameMessage got = parse_frame(split(message, Sender::Server).second);
    EXPECT_EQ(got.slot, 2u);
    EXPECT_EQ(got.seq, 1'000'001u);
    EXPECT_EQ(got.width, 3840u);
    EXPECT_EQ(got.stride, 11520u);
    EXPECT_EQ(got.payload_size, sent.payload_size);
    EXPECT_EQ(got.publish_ns, 222u);
    EXPECT_EQ(got.source_seq, 41u);
}

TEST(Protocol, requestReleaseAndErrorRoundTrip) {
    EXPECT_EQ(parse_request(split(encode(Request{77}), Sender::Client).second).after_seq, 77u);

    const Release release =
        parse_release(split(encode(Release{1, 5, 10, 20}), Sender::Client).second);
    EXPECT_EQ(release.slot, 1u);
    EXPECT_EQ(release.seq, 5u);
    EXPECT_EQ(release.receive_ns, 10u);
    EXPECT_EQ(release.done_ns, 20u);

    const ErrorMessage error = parse_error(
        split(encode(ErrorMessage{ErrorCode::LeaseLimit, "hold fewer"}), Sender::Server).second);
    EXPECT_EQ(error.code, ErrorCode::LeaseLimit);
    EXPECT_EQ(error.text, "hold fewer");
}

TEST(Protocol, segmentAndStreamRoundTrip) {
    SegmentMessage sent;
    sent.layout_version = 1;
    sent.segment_size = 1 << 20;
    sent.session_id = 99;
    sent.slot_count = 4;
    sent.max_leases = 2;
    sent.segment_name = "cam";
    const Bytes message = encode(sent);
    EXPECT_EQ(message.size(), HEADER_BYTES + 36 + 3);
    const SegmentMessage got = parse_segment(split(message, Sender::Server).second);
    EXPECT_EQ(got.segment_size, sent.segment_size);
    EXPECT_EQ(got.session_id, 99u);
    EXPECT_EQ(got.slot_count, 4u);
    EXPECT_EQ(got.max_leases, 2u);
    EXPECT_EQ(got.segment_name, "cam");

    const StreamMessage stream = parse_stream(
        split(encode(StreamMessage{StreamState::Ended, "end of file"}), Sender::Server).second);
    EXPECT_EQ(stream.state, StreamState::Ended);
    EXPECT_EQ(stream.text, "end of file");
}

TEST(Protocol, integersAreLittleEndianOnTheWire) {
    const Bytes message = encode(Request{0x0102030405060708});
    const Bytes expected{8, 0, 0, 0, 4, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};
    EXPECT_EQ(message, expected);
}

TEST(Protocol, anOverlongErrorTextIsCutToFit) {
    const Bytes message = encode(ErrorMessage{ErrorCode::BadMessage, std::string(5000, 'x')});
    EXPECT_EQ(message.size(), HEADER_BYTES + MAX_BODY_BYTES);
    EXPECT_NO_THROW(parse_error(split(message, Sender::Server).second));
}

TEST(ProtocolHeader, refusesTypesTheSenderDoesNotSend) {
    const Bytes frame_from_client = header_bytes(64, 5);
    EXPECT_THROW(parse_header(frame_from_client.data(), Sender::Client), ProtocolError);
    const Bytes hello_from_server = header_bytes(20, 1);
    EXPECT_THROW(parse_header(hello_from_server.data(), Sender::Server), ProtocolError);
}

TEST(ProtocolHeader, refusesUnknownTypesAndBadSizes) {
    struct Case {
        std::uint32_t size;
        std::uint16_t type;
    };
    const Case bad[] = {{8, 0},          {8, 7},   {8, 0xffff},
                        {7, 4},          {9, 4},   {31, 6},
                        {33, 6},         {7, 1},   {24 + 64 + 256 + 64 + 1, 1},
                        {0xffffffff, 1}, {1, 9},   {8, 17},
                        {1, 13},         {23, 15}, {25, 15},
                        {7, 16},         {23, 11}, {24 + 64 + 1, 11}};
    for (const Case& c : bad) {
        const Bytes bytes = header_bytes(c.size, c.type);
        EXPECT_THROW(parse_header(bytes.data(), Sender::Client), ProtocolError)
            << "type " << c.type << " size " << c.size;
    }
}

TEST(ProtocolHeader, anHttpRequestIsRefusedWithTheValuesItCarried) {
    const std::string http = "GET / HTTP/1.1\r\n";
    try {
        parse_header(reinterpret_cast<const std::uint8_t*>(http.data()), Sender::Client);
        FAIL();
    } catch (const ProtocolError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown message type"), std::string::npos);
    }
}

TEST(ProtocolBody, helloWhoseNameSizeDisagreesWithTheBodyIsRefused) {
    Bytes body =
        split(encode(Hello{HELLO_MAGIC, PROTOCOL_VERSION, 1, "abc", "tk", ""}), Sender::Client)
            .second;
    body[12] = 4;
    EXPECT_THROW(parse_hello(body), ProtocolError);
    body[12] = 2;
    EXPECT_THROW(parse_hello(body), ProtocolError);
    body[12] = 3;
    body[16] = 3;
    EXPECT_THROW(parse_hello(body), ProtocolError);
    body[16] = 1;
    EXPECT_THROW(parse_hello(body), ProtocolError);
}

TEST(ProtocolBody, aTokenOverItsLimitIsRefused) {
    const std::string token(MAX_TOKEN_BYTES + 1, 'k');
    const Bytes body =
        split(encode(Hello{HELLO_MAGIC, PROTOCOL_VERSION, 1, "", token, ""}), Sender::Client)
            .second;
    EXPECT_THROW(parse_hello(body), ProtocolError);
}

TEST(ProtocolBody, namesWithControlCharactersAreRefused) {
    const Bytes body =
        split(encode(Hello{HELLO_MAGIC, PROTOCOL_VERSION, 1, "a\nb", "", ""}), Sender::Client)
            .second;
    EXPECT_THROW(parse_hello(body), ProtocolError);
    const Bytes token_body =
        split(encode(Hello{HELLO_MAGIC, PROTOCOL_VERSION, 1, "ab", "x\ty", ""}), Sender::Client)
            .second;
    EXPECT_THROW(parse_hello(token_body), ProtocolError);
}

TEST(ProtocolBody, shortOrLongFixedBodiesAreRefused) {
    EXPECT_THROW(parse_request(Bytes(7)), ProtocolError);
    EXPECT_THROW(parse_request(Bytes(9)), ProtocolError);
    EXPECT_THROW(parse_release(Bytes(31)), ProtocolError);
    EXPECT_THROW(parse_frame(Bytes(63)), ProtocolError);
    EXPECT_THROW(parse_done(Bytes(23)), ProtocolError);
    EXPECT_THROW(parse_cancel(Bytes(9)), ProtocolError);
    EXPECT_THROW(parse_slot(Bytes(7)), ProtocolError);
    EXPECT_THROW(parse_cell(Bytes(9)), ProtocolError);
    EXPECT_THROW(parse_hello(Bytes(3)), ProtocolError);
}

TEST(ProtocolBody, aCellPastTheSegmentsGrantCellsIsRefusedAndNoCellIsNot) {
    EXPECT_EQ(
        parse_cell(split(encode(CellMessage{MAX_GRANT_CELLS - 1}), Sender::Server).second).cell,
        MAX_GRANT_CELLS - 1);
    EXPECT_EQ(parse_cell(split(encode(CellMessage{}), Sender::Server).second).cell,
              CellMessage::NO_CELL);
    EXPECT_THROW(parse_cell(split(encode(CellMessage{MAX_GRANT_CELLS}), Sender::Server).second),
                 ProtocolError);
}

TEST(ProtocolHeader, spinIsTheClientsWithNoBodyAndCellTheServers) {
    EXPECT_EQ(parse_header(header_bytes(0, 20).data(), Sender::Client).type, MessageType::Spin);
    EXPECT_THROW(parse_header(header_bytes(8, 20).data(), Sender::Client), ProtocolError);
    EXPECT_THROW(parse_header(header_bytes(0, 20).data(), Sender::Server), ProtocolError);
    EXPECT_EQ(parse_header(header_bytes(8, 21).data(), Sender::Server).type, MessageType::Cell);
    EXPECT_THROW(parse_header(header_bytes(8, 21).data(), Sender::Client), ProtocolError);
}

TEST(ProtocolHeader, eachSideSendsItsOwnStreamAndPublishMessages) {
    const std::uint16_t from_client[] = {9, 11, 13, 15, 16};
    const std::uint16_t from_server[] = {10, 12, 14};
    for (const std::uint16_t type : from_client) {
        const Bytes bytes = header_bytes(type == 9 || type == 13 ? 0 : 24, type);
        EXPECT_THROW(parse_header(bytes.data(), Sender::Server), ProtocolError) << type;
    }
    for (const std::uint16_t type : from_server) {
        const Bytes bytes = header_bytes(type == 14 ? 8 : 40, type);
        EXPECT_THROW(parse_header(bytes.data(), Sender::Client), ProtocolError) << type;
        EXPECT_NO_THROW(parse_header(bytes.data(), Sender::Server)) << type;
    }
}

TEST(ProtocolHeader, streamsMayBeLongerThanOtherMessages) {
    const Bytes longest = header_bytes(static_cast<std::uint32_t>(MAX_STREAMS_BODY_BYTES), 10);
    EXPECT_NO_THROW(parse_header(longest.data(), Sender::Server));
    const Bytes too_long = header_bytes(static_cast<std::uint32_t>(MAX_STREAMS_BODY_BYTES + 1), 10);
    EXPECT_THROW(parse_header(too_long.data(), Sender::Server), ProtocolError);
}

TEST(Protocol, publishAndItsAnswersRoundTrip) {
    const Publish publish = parse_publish(
        split(encode(Publish{640, 480, 2, 30000, 4, "edges"}), Sender::Client).second);
    EXPECT_EQ(publish.width, 640u);
    EXPECT_EQ(publish.height, 480u);
    EXPECT_EQ(publish.pixel_format, 2u);
    EXPECT_EQ(publish.fps_milli, 30000u);
    EXPECT_EQ(publish.slot_count, 4u);
    EXPECT_EQ(publish.name, "edges");

    Publishing publishing;
    publishing.layout_version = 1;
    publishing.segment_size = 4096;
    publishing.session_id = 5;
    publishing.slot_count = 4;
    publishing.segment_name = "edges";
    const Publishing got = parse_publishing(split(encode(publishing), Sender::Server).second);
    EXPECT_EQ(got.segment_size, 4096u);
    EXPECT_EQ(got.slot_count, 4u);
    EXPECT_EQ(got.max_leases, 0u);
    EXPECT_EQ(got.segment_name, "edges");

    EXPECT_EQ(parse_slot(split(encode(SlotMessage{3}), Sender::Server).second).slot, 3u);
    const Done done = parse_done(split(encode(Done{3, 41, 99}), Sender::Client).second);
    EXPECT_EQ(done.slot, 3u);
    EXPECT_EQ(done.source_seq, 41u);
    EXPECT_EQ(done.capture_ns, 99u);
    EXPECT_EQ(parse_cancel(split(encode(Cancel{2}), Sender::Client).second).slot, 2u);
    EXPECT_EQ(split(encode(Write{}), Sender::Client).first.type, MessageType::Write);
    EXPECT_EQ(split(encode(List{}), Sender::Client).first.type, MessageType::List);
}

TEST(Protocol, streamsRoundTripsEveryEntry) {
    StreamsMessage sent;
    sent.streams.push_back({640, 480, 1, Producer::Capture, 30000, 2, 41, "front"});
    sent.streams.push_back({320, 240, 2, Producer::Client, 0, 0, 0, "edges"});
    const StreamsMessage got = parse_streams(split(encode(sent), Sender::Server).second);
    ASSERT_EQ(got.streams.size(), 2u);
    EXPECT_EQ(got.streams[0].name, "front");
    EXPECT_EQ(got.streams[0].newest_seq, 41u);
    EXPECT_EQ(got.streams[0].clients, 2u);
    EXPECT_EQ(got.streams[1].producer, Producer::Client);
    EXPECT_EQ(got.streams[1].width, 320u);
}

TEST(Protocol, streamsLeavesOutTheEntriesThatDoNotFit) {
    StreamsMessage sent;
    sent.streams.assign(1000,
                        StreamEntry{1, 1, 1, Producer::Client, 0, 0, 0, std::string(64, 's')});
    const Bytes message = encode(sent);
    EXPECT_LE(message.size(), HEADER_BYTES + MAX_STREAMS_BODY_BYTES);
    const StreamsMessage got = parse_streams(split(message, Sender::Server).second);
    EXPECT_EQ(got.streams.size(), (MAX_STREAMS_BODY_BYTES - 4) / (36 + 64));
}

TEST(ProtocolBody, streamsWhoseCountOrNamesDisagreeWithTheBodyAreRefused) {
    StreamsMessage one;
    one.streams.push_back({1, 1, 1, Producer::Capture, 0, 0, 0, "a"});
    Bytes body = split(encode(one), Sender::Server).second;
    body[0] = 2;
    EXPECT_THROW(parse_streams(body), ProtocolError);
    body[0] = 0;
    EXPECT_THROW(parse_streams(body), ProtocolError);
    body[0] = 1;
    body[4 + 32] = 0;
    EXPECT_THROW(parse_streams(body), ProtocolError);
}

TEST(ProtocolBody, aWelcomeWithoutAStreamNameIsRefused) {
    Welcome sent;
    sent.segment_name = "framebridge";
    EXPECT_THROW(parse_welcome(split(encode(sent), Sender::Server).second), ProtocolError);
}

TEST(ProtocolBody, aHelloStreamNameOverItsLimitIsRefused) {
    const Hello sent{
        HELLO_MAGIC, PROTOCOL_VERSION, 1, "", "", std::string(MAX_NAME_BYTES + 1, 's')};
    EXPECT_THROW(parse_hello(split(encode(sent), Sender::Client).second), ProtocolError);
}
