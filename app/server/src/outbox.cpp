#include "framebridge/app/server/outbox.hpp"

#include <iterator>

namespace framebridge::app {

using protocol::MessageType;

void Outbox::push(protocol::Bytes message) {
    const auto type = static_cast<MessageType>(message.at(4) | (message.at(5) << 8));
    if (type == MessageType::Stream || type == MessageType::Segment) {
        // From the back to just after the front, which is being written and must stay.
        for (auto it = messages_.rbegin();
             it != messages_.rend() && std::next(it) != messages_.rend(); ++it) {
            if (it->type == MessageType::Frame) {
                break;
            }
            if (it->type == type) {
                messages_.erase(std::next(it).base());
                break;
            }
        }
    }
    messages_.push_back({type, std::move(message)});
}

}  // namespace framebridge::app
