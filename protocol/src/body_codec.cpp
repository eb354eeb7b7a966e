#include "body_codec.hpp"

#include <algorithm>

namespace framebridge::protocol::detail {

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

Bytes encode_padded_u32(MessageType type, std::uint32_t value) {
    Bytes body;
    ByteWriter w(body);
    w.u32(value);
    w.u32(0);
    return with_header(type, body);
}

std::uint32_t read_padded_u32(ByteReader& r) {
    const std::uint32_t value = r.u32();
    r.u32();
    return value;
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

Bytes encode_segment_body(MessageType type, const SegmentDescription& d) {
    Bytes body;
    ByteWriter w(body);
    w.u32(d.layout_version);
    w.u32(0);
    write_segment_sizes(w, d);
    write_text(w, d.segment_name);
    return with_header(type, body);
}

void read_segment_body(ByteReader& r, SegmentDescription& d) {
    d.layout_version = r.u32();
    r.u32();
    read_segment_sizes(r, d);
    d.segment_name = read_text(r, MAX_NAME_BYTES, "segment name");
}

}  // namespace framebridge::protocol::detail
