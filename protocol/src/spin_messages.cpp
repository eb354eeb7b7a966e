// SPIN and CELL: how a reader that spins on shared memory is lent its grant cell
// (docs/wire-protocol.md, Spinning on a grant cell).
#include "body_codec.hpp"

namespace framebridge::protocol {
using namespace detail;

CellMessage parse_cell(const Bytes& body) {
    return parse_body(body, "CELL", [](ByteReader& r) {
        CellMessage m;
        m.cell = read_padded_u32(r);
        if (m.cell != CellMessage::NO_CELL && m.cell >= MAX_GRANT_CELLS) {
            throw ProtocolError("CELL " + std::to_string(m.cell) + " is past the " +
                                std::to_string(MAX_GRANT_CELLS) + " grant cells of a segment");
        }
        return m;
    });
}

Bytes encode(const Spin&) {
    return with_header(MessageType::Spin, {});
}

Bytes encode(const CellMessage& m) {
    return encode_padded_u32(MessageType::Cell, m.cell);
}

}  // namespace framebridge::protocol
