// LIST and STREAMS: which streams a server has.

#include "framebridge/protocol/messages.hpp"

#include "body_codec.hpp"

namespace framebridge::protocol {
using namespace detail;
namespace {

StreamEntry read_entry(ByteReader& r) {
    StreamEntry e;
    e.width = r.u32();
    e.height = r.u32();
    e.pixel_format = r.u32();
    e.producer = static_cast<Producer>(r.u32());
    e.fps_milli = r.u32();
    e.clients = r.u32();
    e.newest_seq = r.u64();
    const std::uint32_t name_size = r.u32();
    if (name_size == 0 || name_size > MAX_NAME_BYTES) {
        throw ProtocolError("STREAMS entry name size " + std::to_string(name_size) +
                            " is outside 1.." + std::to_string(MAX_NAME_BYTES));
    }
    e.name = checked_text(r.bytes(name_size), "stream name");
    return e;
}

void write_entry(ByteWriter& w, const StreamEntry& e) {
    w.u32(e.width);
    w.u32(e.height);
    w.u32(e.pixel_format);
    w.u32(static_cast<std::uint32_t>(e.producer));
    w.u32(e.fps_milli);
    w.u32(e.clients);
    w.u64(e.newest_seq);
    write_text(w, e.name);
}

}  // namespace

StreamsMessage parse_streams(const Bytes& body) {
    return parse_body(body, "STREAMS", [](ByteReader& r) {
        StreamsMessage m;
        const std::uint32_t count = r.u32();
        // Each entry is read before the next is taken, so a count the body cannot hold runs
        // out of bytes rather than reserving memory for it.
        for (std::uint32_t i = 0; i < count; ++i) {
            m.streams.push_back(read_entry(r));
        }
        return m;
    });
}

Bytes encode(const List&) {
    return with_header(MessageType::List, {});
}

Bytes encode(const StreamsMessage& m) {
    Bytes entries;
    ByteWriter entry_writer(entries);
    std::uint32_t count = 0;
    for (const StreamEntry& e : m.streams) {
        const std::size_t before = entries.size();
        write_entry(entry_writer, e);
        if (STREAMS_FIXED + entries.size() > MAX_STREAMS_BODY_BYTES) {
            entries.resize(before);
            break;
        }
        ++count;
    }
    Bytes body;
    ByteWriter w(body);
    w.u32(count);
    body.insert(body.end(), entries.begin(), entries.end());
    return with_header(MessageType::Streams, body);
}

}  // namespace framebridge::protocol
