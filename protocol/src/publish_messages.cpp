// PUBLISH, PUBLISHING, WRITE, SLOT, DONE and CANCEL: a client filling a stream of its own.

#include "framebridge/protocol/messages.hpp"

#include "body_codec.hpp"

namespace framebridge::protocol {
using namespace detail;

Publish parse_publish(const Bytes& body) {
    return parse_body(body, "PUBLISH", [](ByteReader& r) {
        Publish m;
        m.width = r.u32();
        m.height = r.u32();
        m.pixel_format = r.u32();
        m.fps_milli = r.u32();
        m.slot_count = r.u32();
        m.name = read_text(r, MAX_NAME_BYTES, "stream name");
        return m;
    });
}

Publishing parse_publishing(const Bytes& body) {
    return parse_segment_body<Publishing>(body, "PUBLISHING");
}

SlotMessage parse_slot(const Bytes& body) {
    return parse_body(body, "SLOT", [](ByteReader& r) {
        SlotMessage m;
        m.slot = read_padded_u32(r);
        return m;
    });
}

Done parse_done(const Bytes& body) {
    return parse_body(body, "DONE", [](ByteReader& r) {
        Done m;
        m.slot = r.u32();
        r.u32();
        m.source_seq = r.u64();
        m.capture_ns = r.u64();
        return m;
    });
}

Cancel parse_cancel(const Bytes& body) {
    return parse_body(body, "CANCEL", [](ByteReader& r) {
        Cancel m;
        m.slot = read_padded_u32(r);
        return m;
    });
}

Bytes encode(const Publish& m) {
    Bytes body;
    ByteWriter w(body);
    w.u32(m.width);
    w.u32(m.height);
    w.u32(m.pixel_format);
    w.u32(m.fps_milli);
    w.u32(m.slot_count);
    write_text(w, m.name);
    return with_header(MessageType::Publish, body);
}

Bytes encode(const Publishing& m) {
    return encode_segment_body(MessageType::Publishing, m);
}

Bytes encode(const Write&) {
    return with_header(MessageType::Write, {});
}

Bytes encode(const SlotMessage& m) {
    return encode_padded_u32(MessageType::Slot, m.slot);
}

Bytes encode(const Done& m) {
    Bytes body;
    ByteWriter w(body);
    w.u32(m.slot);
    w.u32(0);
    w.u64(m.source_seq);
    w.u64(m.capture_ns);
    return with_header(MessageType::Done, body);
}

Bytes encode(const Cancel& m) {
    return encode_padded_u32(MessageType::Cancel, m.slot);
}

}  // namespace framebridge::protocol
