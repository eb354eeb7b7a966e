#pragma once
// What every message codec file shares: the body sizes parse_header checks, the header written
// in front of a body, text fields, the segment description WELCOME, SEGMENT and PUBLISHING carry,
// and the rule that a body is read to its last byte.

#include "framebridge/protocol/byte_codec.hpp"
#include "framebridge/protocol/messages.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace framebridge::protocol::detail {

// Magic and version are all a HELLO of any version must have; the rest is PROTOCOL_VERSION's.
constexpr std::size_t HELLO_MIN = 8;
constexpr std::size_t HELLO_FIXED = 24;
constexpr std::size_t WELCOME_FIXED = 44;
constexpr std::size_t ERROR_FIXED = 8;
constexpr std::size_t SEGMENT_FIXED = 36;
constexpr std::size_t REQUEST_BYTES = 8;
constexpr std::size_t FRAME_BYTES = 64;
constexpr std::size_t RELEASE_BYTES = 32;
constexpr std::size_t STREAMS_FIXED = 4;
constexpr std::size_t STREAM_ENTRY_FIXED = 36;
constexpr std::size_t PUBLISH_FIXED = 24;
constexpr std::size_t SLOT_BYTES = 8;
constexpr std::size_t DONE_BYTES = 24;
constexpr std::size_t CANCEL_BYTES = 8;
constexpr std::size_t CELL_BYTES = 8;

Bytes with_header(MessageType type, const Bytes& body);

// SLOT, CANCEL and CELL: one u32, then a reserved u32 (written 0, never read for meaning).
Bytes encode_padded_u32(MessageType type, std::uint32_t value);
std::uint32_t read_padded_u32(ByteReader& r);

/// @brief `text` unless it holds a control character; throws ProtocolError naming `what`.
std::string checked_text(std::string text, const char* what);

/// @brief A u32 size then that many bytes of text, which must fill the rest of the body.
std::string read_text(ByteReader& r, std::size_t limit, const char* what);
void write_text(ByteWriter& w, const std::string& text);

/// @brief The whole message SEGMENT and PUBLISHING share, field for field, as `type`.
Bytes encode_segment_body(MessageType type, const SegmentDescription& d);

// WELCOME holds these at the same place as SEGMENT, bytes 8 to 31.
void write_segment_sizes(ByteWriter& w, const SegmentDescription& d);
void read_segment_sizes(ByteReader& r, SegmentDescription& d);

/// @brief Runs `parse` over `body` and requires it to read every byte; a body cut short or too
/// long is a ProtocolError naming the message.
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

void read_segment_body(ByteReader& r, SegmentDescription& d);

/// @brief SEGMENT's body, read as the message `Description` named `name`.
template <typename Description>
Description parse_segment_body(const Bytes& body, const char* name) {
    return parse_body(body, name, [](ByteReader& r) {
        Description m;
        read_segment_body(r, m);
        return m;
    });
}

}  // namespace framebridge::protocol::detail
