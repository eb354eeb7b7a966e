#include "framebridge/protocol/messages.hpp"

#include "body_codec.hpp"
#include "result_rules.hpp"

namespace framebridge::protocol {
using namespace detail;
namespace {

struct BodyRule {
    MessageType type;
    Sender sender;
    std::size_t min_size;
    std::size_t max_size;
    const char* name;
};

constexpr BodyRule RULES[] = {
    {MessageType::Hello, Sender::Client, HELLO_MIN,
     HELLO_FIXED + MAX_NAME_BYTES + MAX_TOKEN_BYTES + MAX_NAME_BYTES, "HELLO"},
    {MessageType::Welcome, Sender::Server, WELCOME_FIXED, WELCOME_FIXED + 2 * MAX_NAME_BYTES,
     "WELCOME"},
    {MessageType::Error, Sender::Server, ERROR_FIXED, MAX_BODY_BYTES, "ERROR"},
    {MessageType::Request, Sender::Client, REQUEST_BYTES, REQUEST_BYTES, "REQUEST"},
    {MessageType::Frame, Sender::Server, FRAME_BYTES, FRAME_BYTES, "FRAME"},
    {MessageType::Release, Sender::Client, RELEASE_BYTES, RELEASE_BYTES, "RELEASE"},
    {MessageType::Stream, Sender::Server, ERROR_FIXED, MAX_BODY_BYTES, "STREAM"},
    {MessageType::Segment, Sender::Server, SEGMENT_FIXED, SEGMENT_FIXED + MAX_NAME_BYTES,
     "SEGMENT"},
    {MessageType::List, Sender::Client, 0, 0, "LIST"},
    {MessageType::Streams, Sender::Server, STREAMS_FIXED, MAX_STREAMS_BODY_BYTES, "STREAMS"},
    {MessageType::Publish, Sender::Client, PUBLISH_FIXED, PUBLISH_FIXED + MAX_NAME_BYTES,
     "PUBLISH"},
    {MessageType::Publishing, Sender::Server, SEGMENT_FIXED, SEGMENT_FIXED + MAX_NAME_BYTES,
     "PUBLISHING"},
    {MessageType::Write, Sender::Client, 0, 0, "WRITE"},
    {MessageType::Slot, Sender::Server, SLOT_BYTES, SLOT_BYTES, "SLOT"},
    {MessageType::Done, Sender::Client, DONE_BYTES, DONE_BYTES, "DONE"},
    {MessageType::Cancel, Sender::Client, CANCEL_BYTES, CANCEL_BYTES, "CANCEL"},
    {MessageType::Result, Sender::Client, RESULT_FIXED, MAX_RESULT_BODY_BYTES, "RESULT"},
    {MessageType::Watch, Sender::Client, WATCH_BYTES, WATCH_BYTES, "WATCH"},
    {MessageType::ResultFrom, Sender::Server, RESULT_FROM_FIXED + RESULT_FIXED,
     MAX_RESULT_FROM_BODY_BYTES, "RESULT_FROM"},
    {MessageType::Spin, Sender::Client, 0, 0, "SPIN"},
    {MessageType::Cell, Sender::Server, CELL_BYTES, CELL_BYTES, "CELL"},
};

const char* sender_name(Sender sender) {
    return sender == Sender::Client ? "client" : "server";
}

}  // namespace

MessageHeader parse_header(const std::uint8_t* bytes, Sender from) {
    ByteReader r(bytes, HEADER_BYTES);
    const std::uint32_t body_size = r.u32();
    const std::uint16_t type = r.u16();
    for (const BodyRule& rule : RULES) {
        if (static_cast<std::uint16_t>(rule.type) != type) {
            continue;
        }
        if (rule.sender != from) {
            throw ProtocolError(std::string(rule.name) + " (type " + std::to_string(type) +
                                ") is not a message a " + sender_name(from) + " sends");
        }
        if (body_size < rule.min_size || body_size > rule.max_size) {
            throw ProtocolError(std::string(rule.name) + " body of " + std::to_string(body_size) +
                                " bytes is outside " + std::to_string(rule.min_size) + ".." +
                                std::to_string(rule.max_size));
        }
        return {body_size, rule.type};
    }
    throw ProtocolError("unknown message type " + std::to_string(type) + " (body of " +
                        std::to_string(body_size) + " bytes)");
}

Hello parse_hello(const Bytes& body) {
    return parse_body(body, "HELLO", [](ByteReader& r) {
        Hello m;
        m.magic = r.u32();
        m.protocol_version = r.u32();
        if (m.protocol_version != PROTOCOL_VERSION) {
            r.bytes(r.remaining());
            return m;
        }
        m.client_pid = r.u32();
        const std::uint32_t name_size = r.u32();
        const std::uint32_t token_size = r.u32();
        const std::uint32_t stream_size = r.u32();
        if (name_size > MAX_NAME_BYTES || token_size > MAX_TOKEN_BYTES ||
            stream_size > MAX_NAME_BYTES ||
            std::uint64_t{name_size} + token_size + stream_size != r.remaining()) {
            throw ProtocolError(
                "HELLO name size " + std::to_string(name_size) + ", token size " +
                std::to_string(token_size) + " and stream size " + std::to_string(stream_size) +
                " do not match the " + std::to_string(r.remaining()) + " bytes left (limits " +
                std::to_string(MAX_NAME_BYTES) + ", " + std::to_string(MAX_TOKEN_BYTES) + " and " +
                std::to_string(MAX_NAME_BYTES) + ")");
        }
        m.name = checked_text(r.bytes(name_size), "client name");
        m.token = checked_text(r.bytes(token_size), "token");
        m.stream = checked_text(r.bytes(stream_size), "stream name");
        return m;
    });
}

Welcome parse_welcome(const Bytes& body) {
    return parse_body(body, "WELCOME", [](ByteReader& r) {
        Welcome m;
        m.protocol_version = r.u32();
        m.layout_version = r.u32();
        read_segment_sizes(r, m);
        m.client_id = r.u32();
        const std::uint32_t name_size = r.u32();
        const std::uint32_t stream_size = r.u32();
        if (name_size > MAX_NAME_BYTES || stream_size == 0 || stream_size > MAX_NAME_BYTES ||
            std::uint64_t{name_size} + stream_size != r.remaining()) {
            throw ProtocolError("WELCOME segment name size " + std::to_string(name_size) +
                                " and stream size " + std::to_string(stream_size) +
                                " do not match the " + std::to_string(r.remaining()) +
                                " bytes left (limits " + std::to_string(MAX_NAME_BYTES) +
                                "; a stream name has at least 1 byte)");
        }
        m.segment_name = checked_text(r.bytes(name_size), "segment name");
        m.stream = checked_text(r.bytes(stream_size), "stream name");
        return m;
    });
}

ErrorMessage parse_error(const Bytes& body) {
    return parse_body(body, "ERROR", [](ByteReader& r) {
        ErrorMessage m;
        m.code = static_cast<ErrorCode>(r.u32());
        m.text = read_text(r, MAX_BODY_BYTES - ERROR_FIXED, "error text");
        return m;
    });
}

StreamMessage parse_stream(const Bytes& body) {
    return parse_body(body, "STREAM", [](ByteReader& r) {
        StreamMessage m;
        m.state = static_cast<StreamState>(r.u32());
        m.text = read_text(r, MAX_BODY_BYTES - ERROR_FIXED, "stream text");
        return m;
    });
}

SegmentMessage parse_segment(const Bytes& body) {
    return parse_segment_body<SegmentMessage>(body, "SEGMENT");
}

Request parse_request(const Bytes& body) {
    return parse_body(body, "REQUEST", [](ByteReader& r) { return Request{r.u64()}; });
}

FrameMessage parse_frame(const Bytes& body) {
    return parse_body(body, "FRAME", [](ByteReader& r) {
        FrameMessage m;
        m.slot = r.u32();
        m.pixel_format = r.u32();
        m.seq = r.u64();
        m.width = r.u32();
        m.height = r.u32();
        m.stride = r.u32();
        r.u32();
        m.payload_size = r.u64();
        m.capture_ns = r.u64();
        m.publish_ns = r.u64();
        m.source_seq = r.u64();
        return m;
    });
}

Release parse_release(const Bytes& body) {
    return parse_body(body, "RELEASE", [](ByteReader& r) {
        Release m;
        m.slot = r.u32();
        r.u32();
        m.seq = r.u64();
        m.receive_ns = r.u64();
        m.done_ns = r.u64();
        return m;
    });
}

Bytes encode(const Hello& m) {
    Bytes body;
    ByteWriter w(body);
    w.u32(m.magic);
    w.u32(m.protocol_version);
    w.u32(m.client_pid);
    w.u32(static_cast<std::uint32_t>(m.name.size()));
    w.u32(static_cast<std::uint32_t>(m.token.size()));
    w.u32(static_cast<std::uint32_t>(m.stream.size()));
    w.bytes(m.name);
    w.bytes(m.token);
    w.bytes(m.stream);
    return with_header(MessageType::Hello, body);
}

Bytes encode(const Welcome& m) {
    Bytes body;
    ByteWriter w(body);
    w.u32(m.protocol_version);
    w.u32(m.layout_version);
    write_segment_sizes(w, m);
    w.u32(m.client_id);
    w.u32(static_cast<std::uint32_t>(m.segment_name.size()));
    w.u32(static_cast<std::uint32_t>(m.stream.size()));
    w.bytes(m.segment_name);
    w.bytes(m.stream);
    return with_header(MessageType::Welcome, body);
}

Bytes encode(const ErrorMessage& m) {
    // The text is for a person; cutting an over-long one beats refusing to send it.
    const std::string text = m.text.substr(0, MAX_BODY_BYTES - ERROR_FIXED);
    Bytes body;
    ByteWriter w(body);
    w.u32(static_cast<std::uint32_t>(m.code));
    write_text(w, text);
    return with_header(MessageType::Error, body);
}

Bytes encode(const StreamMessage& m) {
    const std::string text = m.text.substr(0, MAX_BODY_BYTES - ERROR_FIXED);
    Bytes body;
    ByteWriter w(body);
    w.u32(static_cast<std::uint32_t>(m.state));
    write_text(w, text);
    return with_header(MessageType::Stream, body);
}

Bytes encode(const SegmentMessage& m) {
    return encode_segment_body(MessageType::Segment, m);
}

Bytes encode(const Request& m) {
    Bytes body;
    ByteWriter w(body);
    w.u64(m.after_seq);
    return with_header(MessageType::Request, body);
}

Bytes encode(const FrameMessage& m) {
    Bytes body;
    ByteWriter w(body);
    w.u32(m.slot);
    w.u32(m.pixel_format);
    w.u64(m.seq);
    w.u32(m.width);
    w.u32(m.height);
    w.u32(m.stride);
    w.u32(0);
    w.u64(m.payload_size);
    w.u64(m.capture_ns);
    w.u64(m.publish_ns);
    w.u64(m.source_seq);
    return with_header(MessageType::Frame, body);
}

Bytes encode(const Release& m) {
    Bytes body;
    ByteWriter w(body);
    w.u32(m.slot);
    w.u32(0);
    w.u64(m.seq);
    w.u64(m.receive_ns);
    w.u64(m.done_ns);
    return with_header(MessageType::Release, body);
}

}  // namespace framebridge::protocol
