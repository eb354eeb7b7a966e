#include "framebridge/client/streams.hpp"

#include "connection.hpp"
#include "handshake.hpp"

namespace framebridge {
namespace {

Producer producer_of(protocol::Producer producer) {
    switch (producer) {
    case protocol::Producer::Capture:
        return Producer::Capture;
    case protocol::Producer::Client:
        return Producer::Client;
    }
    return Producer::Unknown;
}

StreamInfo info_of(const protocol::StreamEntry& entry) {
    StreamInfo info;
    info.name = entry.name;
    info.width = entry.width;
    info.height = entry.height;
    info.format = static_cast<PixelFormat>(entry.pixel_format);
    info.fps = static_cast<double>(entry.fps_milli) / 1000.0;
    info.producer = producer_of(entry.producer);
    info.clients = entry.clients;
    info.newest_seq = entry.newest_seq;
    return info;
}

}  // namespace

const char* to_string(Producer producer) noexcept {
    switch (producer) {
    case Producer::Capture:
        return "capture";
    case Producer::Client:
        return "client";
    case Producer::Unknown:
        break;
    }
    return "unknown";
}

std::vector<StreamInfo> list_streams(const ConnectOptions& options) {
    const std::string token = detail::checked_token(options.token);
    detail::Connection connection(options.host, options.port, options.timeout);
    // HELLO must name a stream to read; the server's first is the one every server has.
    detail::handshake(connection, {options.name, token, ""}, options.timeout);
    connection.send(protocol::encode(protocol::List{}));
    const detail::Deadline deadline =
        options.timeout ? detail::Deadline(detail::Clock::now() + *options.timeout) : std::nullopt;
    while (true) {
        const auto message = connection.receive(deadline);
        if (!message) {
            throw Timeout("FrameBridge server at " + connection.address() +
                          " did not answer LIST within " + detail::seconds_text(*options.timeout));
        }
        if (const auto* streams = std::get_if<protocol::StreamsMessage>(&*message)) {
            std::vector<StreamInfo> infos;
            for (const protocol::StreamEntry& entry : streams->streams) {
                infos.push_back(info_of(entry));
            }
            return infos;
        }
        if (const auto* error = std::get_if<protocol::ErrorMessage>(&*message)) {
            connection.throw_error(*error);
        }
        // STREAM and SEGMENT tell of the stream HELLO chose, which this connection never reads.
        if (!std::holds_alternative<protocol::StreamMessage>(*message) &&
            !std::holds_alternative<protocol::SegmentMessage>(*message)) {
            throw ProtocolMismatch("FrameBridge server at " + connection.address() +
                                   " answered LIST with " + detail::message_name(*message) +
                                   ", expected STREAMS");
        }
    }
}

}  // namespace framebridge
