#pragma once

#include "framebridge/app/server/result_event.hpp"

#include <string>

namespace framebridge::ui::test {

/// @brief A result sender `sender_id` ("script.py") sent about frame `seq` of 'front', with one
/// box; received at `received_ms` on the monotonic clock.
inline app::ResultEvent result_event(std::uint32_t sender_id, std::uint64_t seq,
                                     std::int64_t received_ms = 0,
                                     protocol::Box box = {10, 10, 50, 20}) {
    app::ResultEvent event;
    event.stream = "front";
    event.sender_id = sender_id;
    event.sender_name = "script.py";
    event.received_ns = static_cast<std::uint64_t>(received_ms) * 1'000'000;
    event.result.seq = seq;
    event.result.boxes = {box};
    return event;
}

}  // namespace framebridge::ui::test
