// libFuzzer target: any bytes, read as what a client sends the server and as what a server
// sends a client. The parsers must turn every malformed message into a ProtocolError and
// never read outside the bytes they were given (ASan watches) or crash.

#include "framebridge/protocol/messages.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace protocol = framebridge::protocol;

namespace {

// What the parser accepts the encoder must accept too, and write back as the same bytes: a C++
// sender can then relay or re-send any result it was given.
template <typename Message>
void check_round_trip(const Message& message, const protocol::Bytes& body) {
    const protocol::Bytes again = protocol::encode(message);
    if (!std::equal(body.begin(), body.end(), again.begin() + protocol::HEADER_BYTES,
                    again.end())) {
        std::fprintf(stderr, "protocol fuzz: a parsed result encodes to other bytes\n");
        std::abort();
    }
}

void parse_body(protocol::MessageType type, const protocol::Bytes& body) {
    switch (type) {
    case protocol::MessageType::Hello:
        protocol::parse_hello(body);
        break;
    case protocol::MessageType::Welcome:
        protocol::parse_welcome(body);
        break;
    case protocol::MessageType::Error:
        protocol::parse_error(body);
        break;
    case protocol::MessageType::Request:
        protocol::parse_request(body);
        break;
    case protocol::MessageType::Frame:
        protocol::parse_frame(body);
        break;
    case protocol::MessageType::Release:
        protocol::parse_release(body);
        break;
    case protocol::MessageType::Stream:
        protocol::parse_stream(body);
        break;
    case protocol::MessageType::Segment:
        protocol::parse_segment(body);
        break;
    case protocol::MessageType::Streams:
        protocol::parse_streams(body);
        break;
    case protocol::MessageType::Publish:
        protocol::parse_publish(body);
        break;
    case protocol::MessageType::Publishing:
        protocol::parse_publishing(body);
        break;
    case protocol::MessageType::Slot:
        protocol::parse_slot(body);
        break;
    case protocol::MessageType::Done:
        protocol::parse_done(body);
        break;
    case protocol::MessageType::Cancel:
        protocol::parse_cancel(body);
        break;
    case protocol::MessageType::Result:
        check_round_trip(protocol::parse_result(body), body);
        break;
    case protocol::MessageType::Watch:
        protocol::parse_watch(body);
        break;
    case protocol::MessageType::ResultFrom:
        check_round_trip(protocol::parse_result_from(body), body);
        break;
    case protocol::MessageType::Cell:
        protocol::parse_cell(body);
        break;
    case protocol::MessageType::List:
    case protocol::MessageType::Write:
    case protocol::MessageType::Spin:
        break;  // no body: parse_header has checked its size is 0
    }
}

// Reads messages off the stream as a session does, until the bytes end or one is refused.
void read_stream(const std::uint8_t* data, std::size_t size, protocol::Sender from) {
    std::size_t at = 0;
    try {
        while (size - at >= protocol::HEADER_BYTES) {
            const protocol::MessageHeader header = protocol::parse_header(data + at, from);
            at += protocol::HEADER_BYTES;
            if (size - at < header.body_size) {
                return;
            }
            const protocol::Bytes body(data + at, data + at + header.body_size);
            at += header.body_size;
            parse_body(header.type, body);
        }
    } catch (const protocol::ProtocolError&) {
        return;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    read_stream(data, size, protocol::Sender::Client);
    read_stream(data, size, protocol::Sender::Server);
    return 0;
}
