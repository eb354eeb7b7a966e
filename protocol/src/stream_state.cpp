#include "framebridge/protocol/stream_state.hpp"

namespace framebridge::protocol {

const char* to_string(StreamState state) noexcept {
    switch (state) {
    case StreamState::Live:
        return "live";
    case StreamState::Ended:
        return "ended";
    case StreamState::Lost:
        return "lost";
    }
    return "unknown";
}

}  // namespace framebridge::protocol
