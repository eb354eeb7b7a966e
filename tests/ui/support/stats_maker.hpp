#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"

#include <string>

namespace framebridge::ui::test {

/// @brief The statistics of a client that reads 'front', with publish->ready p50/p99 of
/// `p50_us`/`p99_us` microseconds, that sent 4 results 30/45 ms (p50/p99) after capture.
inline app::ClientStats client_stats(std::uint32_t id, const std::string& name,
                                     std::uint64_t p50_us = 250, std::uint64_t p99_us = 900) {
    app::ClientStats client;
    client.id = id;
    client.name = name;
    client.pid = 1000 + id;
    client.stream = "front";
    client.frames = 10 * id;
    client.skipped = id;
    client.ready = {5, p50_us * 1000, p99_us * 1000, p99_us * 1000};
    client.hold = {5, 1'000'000, 2'000'000, 2'000'000};
    client.results = 4;
    client.to_result = {4, 30'000'000, 45'000'000, 45'000'000};
    return client;
}

/// @brief A stream as the statistics list it: a capture at 640x480 BGR8, or a client's GRAY8.
inline app::StreamInfo stream_info(const std::string& name, protocol::Producer producer,
                                   std::uint64_t newest_seq = 10) {
    app::StreamInfo stream;
    stream.name = name;
    stream.producer = producer;
    stream.geometry = producer == protocol::Producer::Capture
                          ? shm::FrameGeometry{640, 480, shm::PixelFormat::Bgr8}
                          : shm::FrameGeometry{320, 240, shm::PixelFormat::Gray8};
    stream.fps = 30.0;
    stream.clients = 1;
    stream.newest_seq = newest_seq;
    stream.published = newest_seq;
    return stream;
}

}  // namespace framebridge::ui::test
