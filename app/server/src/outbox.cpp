#include "framebridge/app/server/outbox.hpp"

#include <algorithm>
#include <iterator>

namespace framebridge::app {

using protocol::MessageType;

namespace {

// A RESULT_FROM's own bytes: the header, sender_id and the `skipped` each watcher gets.
constexpr std::size_t RESULT_FROM_OWN_BYTES = protocol::RESULT_FROM_SKIPPED_OFFSET + 4;

}  // namespace

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
    messages_.push_back({type, std::move(message), nullptr});
}

void Outbox::push_frame_rest(protocol::Bytes frame, std::size_t sent) {
    frame.erase(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(sent));
    messages_.push_back({MessageType::Frame, std::move(frame), nullptr});
}

void Outbox::push_result(std::shared_ptr<const protocol::Bytes> result_from) {
    const bool front_is_result = !messages_.empty() && messages_.front().shared;
    if (results_ - (front_is_result ? 1 : 0) >= MAX_WAITING_RESULTS) {
        drop_oldest_waiting_result();
    }
    protocol::Bytes own(result_from->begin(),
                        result_from->begin() + static_cast<std::ptrdiff_t>(RESULT_FROM_OWN_BYTES));
    messages_.push_back({MessageType::ResultFrom, std::move(own), std::move(result_from)});
    ++results_;
    if (messages_.size() == 1) {
        front_started();
    }
}

void Outbox::drop_oldest_waiting_result() {
    const auto oldest = std::find_if(std::next(messages_.begin()), messages_.end(),
                                     [](const Message& m) { return m.shared != nullptr; });
    messages_.erase(oldest);
    --results_;
    ++skipped_since_written_;
    ++results_skipped_;
}

Outbox::Parts Outbox::front() const {
    const Message& m = messages_.front();
    if (!m.shared) {
        return {m.bytes, nullptr, 0};
    }
    return {m.bytes, m.shared->data() + RESULT_FROM_OWN_BYTES,
            m.shared->size() - RESULT_FROM_OWN_BYTES};
}

// The front is being written from the moment it is the front: a RESULT_FROM learns then how
// many were replaced before it.
void Outbox::front_started() {
    Message& m = messages_.front();
    if (!m.shared) {
        return;
    }
    for (std::size_t i = 0; i < 4; ++i) {
        m.bytes[protocol::RESULT_FROM_SKIPPED_OFFSET + i] =
            static_cast<std::uint8_t>(skipped_since_written_ >> (8 * i));
    }
    skipped_since_written_ = 0;
}

void Outbox::pop_front() {
    if (messages_.front().shared) {
        --results_;
    }
    messages_.pop_front();
    if (!messages_.empty()) {
        front_started();
    }
}

}  // namespace framebridge::app
