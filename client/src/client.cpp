#include "framebridge/client/client.hpp"

#include "client_core.hpp"
#include "handshake.hpp"

namespace framebridge {

Client::Client(const ConnectOptions& options)
    : core_(std::make_shared<detail::ClientCore>(options)) {}

Client::Client(Client&&) noexcept = default;

Client& Client::operator=(Client&& other) noexcept {
    if (this != &other) {
        close();
        core_ = std::move(other.core_);
    }
    return *this;
}

Client::~Client() {
    close();
}

Frame Client::latest(std::optional<std::chrono::nanoseconds> timeout) {
    if (!core_) {
        throw FrameBridgeError("this FrameBridge client was moved from");
    }
    return core_->latest(timeout);
}

void Client::close() noexcept {
    if (core_) {
        core_->close();
    }
}

std::uint32_t Client::reconnects() const noexcept {
    return core_->reconnects();
}

std::string Client::segment_name() const {
    return core_->welcome().segment_name;
}

std::string Client::stream() const {
    return core_->welcome().stream;
}

std::uint64_t Client::session_id() const noexcept {
    return core_->welcome().session_id;
}

std::uint32_t Client::max_leases() const noexcept {
    return core_->welcome().max_leases;
}

std::uint32_t Client::slot_count() const noexcept {
    return core_->welcome().slot_count;
}

std::uint32_t Client::client_id() const noexcept {
    return core_->welcome().client_id;
}

StreamState Client::stream_state() const noexcept {
    return core_->stream_state();
}

std::uint64_t Client::newest_seq() const noexcept {
    return core_->newest_seq();
}

Client::Iterator Client::begin() {
    Iterator first(*this);
    first.next();
    return first;
}

Client::Iterator::Iterator(Client& client) : client_(&client) {}

Client::Iterator& Client::Iterator::operator++() {
    frame_.release(true);
    next();
    return *this;
}

void Client::Iterator::next() {
    try {
        frame_ = client_->latest();
    } catch (const StreamEnded&) {
        frame_ = Frame();
    }
}

}  // namespace framebridge
