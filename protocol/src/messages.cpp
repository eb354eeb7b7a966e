#include "framebridge/protocol/messages.hpp"

#include "framebridge/protocol/byte_codec.hpp"

#include <algorithm>

namespace framebridge::protocol {
namespace {

// Magic and version are all a HELLO of any version must have; the rest is PROTOCOL_VERSION's.
constexpr std::size_t HELLO_MIN = 8;
constexpr std::size_t HELLO_FIXED = 20;
constexpr std::size_t WELCOME_FIXED = 40;
constexpr std::size_t ERROR_FIXED = 8;
constexpr std::size_t SEGMENT_FIXED = 36;
constexpr std::size_t REQUEST_BYTES = 8;
constexpr std::size_t FRAME_BYTES = 56;
constexpr std::size_t RELEASE_BYTES = 32;

struct BodyRule {
    MessageType type;
    Sender sender;
    std::size_t min_size;
    std::size_t max_size;
    const char* name;
};

constexpr BodyRule RULES[] = {
    {MessageType::Hello, Sender::Client, HELLO_MIN, HELLO_FIXED + MAX_NAME_BYTES + MAX_TOKEN_BYTES,
     "HELLO"},
    {MessageType::Welcome, Sender::Server, WELCOME_FIXED, WELCOME_FIXED + MAX_NAME_BYTES,
     "WELCOME"},
    {MessageType::Error, Sender::Server, ERROR_FIXED, MAX_BODY_BYTES, "ERROR"},
    {MessageType::Request, Sender::Client, REQUEST_BYTES, REQUEST_BYTES, "REQUEST"},
    {MessageType::Frame, Sender::Server, FRAME_BYTES, FRAME_BYTES, "FRAME"},
    {MessageType::Release, Sender::Client, RELEASE_BYTES, RELEASE_BYTES, "RELEASE"},
    {MessageType::Stream, Sender::Server, ERROR_FIXED, MAX_BODY_BYTES, "STREAM"},
    {MessageType::Segment, Sender::Server, SEGMENT_FIXED, SEGMENT_FIXED + MAX_NAME_BYTES,
     "SEGMENT"},
};

const char* sender_name(Sender sender) {
    return sender == Sender::Client ? "client" : "server";
}

Bytes with_header(MessageType type, const Bytes& body) {
    Bytes out;
    out.reserve(HEADER_BYTES + body.size());
    ByteWriter w(out);
    w.u32(static_cast<std::uint32_t>(body.size()));
    w.u16(static_cast<std::uint16_t>(type));
    w.u16(0);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::string checked_text(std::string text, const char* what) {
    const auto control = std::find_if(text.begin(), text.end(),
                                      [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    if (control != text.end()) {
        throw ProtocolError(std::string(what) + " contains control character " +
                            std::to_string(static_cast<unsigned char>(*control)));
    }
    return text;
}

// A text field whose size is given inside the body must fill the rest of the body exactly.
std::string read_text(ByteReader& r, std::size_t limit, const char* what) {
    const std::uint32_t size = r.u32();
    if (size > limit || size != r.remaining()) {
        throw ProtocolError(std::string(what) + " size " + std::to_string(size) +
                            " does not match the " + std::to_string(r.remaining()) +
                            " bytes left in the message (limit " + std::to_string(limit) + ")");
    }
    return checked_text(r.bytes(size), what);
}

void write_text(ByteWriter& w, const std::string& text) {
    w.u32(static_cast<std::uint32_t>(text.size()));
    w.bytes(text);
}

// WELCOME and SEGMENT hold these at the same place, bytes 8 to 31, and both end with the
// segment's name; they differ in their first 8 bytes and in WELCOME's client_id before the name.
void write_segment_sizes(ByteWriter& w, const SegmentDescription& d) {
    w.u64(d.segment_size);
    w.u64(d.session_id);
    w.u32(d.slot_count);
    w.u32(d.max_leases);
}

void read_segment_sizes(ByteReader& r, SegmentDescription& d) {
    d.segment_size = r.u64();
    d.session_id = r.u64();
    d.slot_count = r.u32();
    d.max_leases = r.u32();
}

std::string read_segment_name(ByteReader& r) {
    return read_text(r, MAX_NAME_BYTES, "segment name");
}

template <typename Parse>
auto parse_body(const Bytes& body, const char* name, Parse parse) {
    try {
        ByteReader r(body.data(), body.size());
        auto message = parse(r);
        if (r.remaining() != 0) {
            throw ProtocolError(std::string(name) + " has " + std::to_string(r.remaining()) +
                                " bytes too many");
        }
        return message;
    } catch (const std::out_of_range& e) {
        throw ProtocolError(std::string(name) + " is cut short: " + e.what());
    }
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
        if (name_size > MAX_NAME_BYTES || token_size > MAX_TOKEN_BYTES ||
            std::uint64_t{name_size} + token_size != r.remaining()) {
            throw ProtocolError("HELLO name size " + std::to_string(name_size) +
                                " and token size " + std::to_string(token_size) +
                                " do not match the " + std::to_string(r.remaining()) +
                                " bytes left (limits " + std::to_string(MAX_NAME_BYTES) + " and " +
                                std::to_string(MAX_TOKEN_BYTES) + ")");
        }
        m.name = checked_text(r.bytes(name_size), "client name");
        m.token = checked_text(r.bytes(token_size), "token");
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
        m.segment_name = read_segment_name(r);
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
    return parse_body(body, "SEGMENT", [](ByteReader& r) {
        SegmentMessage m;
        m.layout_version = r.u32();
        r.u32();
        read_segment_sizes(r, m);
        m.segment_name = read_segment_name(r);
        return m;
    });
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
    w.bytes(m.name);
    w.bytes(m.token);
    return with_header(MessageType::Hello, body);
}

Bytes encode(const Welcome& m) {
    Bytes body;
    ByteWriter w(body);
    w.u32(m.protocol_version);
    w.u32(m.layout_version);
    write_segment_sizes(w, m);
    w.u32(m.client_id);
    write_text(w, m.segment_name);
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
    Bytes body;
    ByteWriter w(body);
    w.u32(m.layout_version);
    w.u32(0);
    write_segment_sizes(w, m);
    write_text(w, m.segment_name);
    return with_header(MessageType::Segment, body);
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
