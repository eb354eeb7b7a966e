#include "client_core.hpp"

#include "handshake.hpp"

#include "framebridge/shm/monotonic_clock.hpp"

#include <algorithm>
#include <thread>

namespace framebridge::detail {
namespace {

// reconnect: the first pause between tries, doubled up to the last.
constexpr std::chrono::milliseconds RETRY_FIRST{50};
constexpr std::chrono::milliseconds RETRY_LAST{1000};

Deadline deadline_after(std::optional<std::chrono::nanoseconds> timeout) {
    if (!timeout) {
        return std::nullopt;
    }
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(*timeout);
}

void append(protocol::Bytes& to, const protocol::Bytes& message) {
    to.insert(to.end(), message.begin(), message.end());
}

}  // namespace

ClientCore::ClientCore(const ConnectOptions& options)
    : options_(options),
      token_(checked_token(options.token)),
      stream_name_(checked_stream(options.stream)),
      session_(open(options.timeout)) {
    // A client reads one stream: a new server after a reconnect is asked for this one by name,
    // even when the first server chose it.
    stream_name_ = session_.welcome.stream;
}

Session ClientCore::open(std::optional<std::chrono::milliseconds> timeout) const {
    Session session;
    session.connection = std::make_unique<Connection>(options_.host, options_.port, timeout);
    session.welcome =
        handshake(*session.connection, {options_.name, token_, stream_name_}, timeout);
    const protocol::Welcome& w = session.welcome;
    session.ring = open_ring(w.segment_name, w.segment_size, w.session_id, w.slot_count);
    return session;
}

void ClientCore::lose(std::exception_ptr failure, bool server_gone) noexcept {
    if (options_.reconnect && server_gone) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            lost_ = e.what();
        }
        // No server knows these leases any more; Frames of this connection release nothing.
        held_.clear();
        retired_.clear();
        outgoing_.clear();
        request_outstanding_ = false;
        ++connection_;
    } else {
        failure_ = failure;
    }
    session_.connection->close();  // the server takes back every lease of a closed connection
}

template <typename Error>
void ClientCore::fail(const Error& error) {
    lose(std::make_exception_ptr(error), std::is_same_v<Error, ServerGone>);
    throw error;
}

template <typename Step>
auto ClientCore::guarded(Step step) {
    try {
        return step();
    } catch (const ServerGone&) {
        lose(std::current_exception(), true);
        throw;
    } catch (const FrameBridgeError&) {
        lose(std::current_exception(), false);
        throw;
    }
}

void ClientCore::check_usable() const {
    if (closed_) {
        throw FrameBridgeError("this FrameBridge client is closed");
    }
    if (failure_) {
        std::rethrow_exception(failure_);
    }
}

Frame ClientCore::latest(std::optional<std::chrono::nanoseconds> timeout) {
    check_usable();
    const Deadline deadline = deadline_after(timeout);
    while (true) {
        if (lost_) {
            connect_again(deadline, timeout);
        }
        try {
            return latest_once(deadline, timeout);
        } catch (const ServerGone&) {
            if (!options_.reconnect) {
                throw;
            }
        }
    }
}

// Tries are spaced by a pause that doubles up to 1 s, across calls and across connections that
// die before a frame (reset by the next frame), so polling with a zero timeout still reconnects
// and a server that accepts and drops does not spin us. One try may take the connect timeout.
void ClientCore::connect_again(Deadline deadline, std::optional<std::chrono::nanoseconds> timeout) {
    std::optional<Session> session;
    std::optional<std::string> missing;  // set when a server answered without our stream
    while (!session) {
        if (Clock::now() >= next_try_) {
            try {
                session = open(options_.timeout);
            } catch (const ServerUnavailable&) {
            } catch (const ServerGone&) {
            } catch (const Timeout&) {
            } catch (const StreamNotFound& e) {
                // A new server whose producer (e.g. a publishing client) has not come back yet.
                missing = e.what();
            }
            retry_ = std::clamp<Clock::duration>(2 * retry_, RETRY_FIRST, RETRY_LAST);
            next_try_ = Clock::now() + retry_;
            if (session) {
                break;
            }
        }
        const auto now = Clock::now();
        if (deadline && now >= *deadline) {
            const std::string within = " within " + seconds_text(*timeout);
            throw Timeout(*lost_ + "; " +
                          (missing ? "a server answered there again, but not with stream '" +
                                         stream_name_ + "'" + within + ": " + *missing
                                   : "no server answered there again" + within) +
                          " (the next latest() goes on trying)");
        }
        std::this_thread::sleep_until(deadline ? std::min(next_try_, *deadline) : next_try_);
    }
    const bool new_session = session->welcome.session_id != session_.welcome.session_id;
    session_ = std::move(*session);
    if (new_session) {
        last_seq_ = 0;  // a new server numbers its frames from 1 again
    }
    stream_ = protocol::StreamMessage{};
    lost_.reset();
    ++reconnects_;
}

Frame ClientCore::latest_once(Deadline deadline, std::optional<std::chrono::nanoseconds> timeout) {
    Connection& connection = *session_.connection;
    if (!request_outstanding_) {
        if (held_.size() >= session_.welcome.max_leases) {
            take_notices();  // a new segment generation frees the old frames' count
        }
        if (held_.size() >= session_.welcome.max_leases) {
            flush();
            throw lease_limit_error();
        }
        append(outgoing_, protocol::encode(protocol::Request{last_seq_}));
        request_outstanding_ = true;
    }
    flush();
    std::optional<ServerMessage> message;
    std::uint64_t receive_ns = 0;
    bool ended = false;
    do {
        // An ended stream answers at once, unless the server has said more meanwhile.
        ended = stream_.state == protocol::StreamState::Ended;
        message = guarded([&] { return connection.receive(ended ? Clock::now() : deadline); });
        receive_ns = shm::monotonic_now_ns();
    } while (take_notice(message));
    if (!message) {
        const std::string where = "the FrameBridge server at " + connection.address();
        if (ended) {
            throw StreamEnded("the stream '" + session_.welcome.stream + "' of " + where +
                              " has ended: " + stream_.text);
        }
        const std::string source_lost = stream_.state == protocol::StreamState::Live
                                            ? std::string()
                                            : "; the stream is not live: " + stream_.text;
        throw Timeout("no frame from " + where + " within " + seconds_text(*timeout) +
                      " (newest_seq " + std::to_string(newest_seq()) + ")" + source_lost);
    }
    if (const auto* error = std::get_if<protocol::ErrorMessage>(&*message)) {
        guarded([&] { connection.throw_error(*error); });
    }
    const auto* frame = std::get_if<protocol::FrameMessage>(&*message);
    if (frame == nullptr) {
        fail(ProtocolMismatch("FrameBridge server at " + connection.address() + " sent " +
                              message_name(*message) + " instead of FRAME"));
    }
    request_outstanding_ = false;
    return accept(*frame, receive_ns);
}

// Called with no REQUEST outstanding, so no FRAME can be among them.
void ClientCore::take_notices() {
    while (true) {
        const auto message = guarded([&] { return session_.connection->receive(Clock::now()); });
        if (!message) {
            return;
        }
        if (take_notice(message)) {
            continue;
        }
        if (const auto* error = std::get_if<protocol::ErrorMessage>(&*message)) {
            guarded([&] { session_.connection->throw_error(*error); });
        }
        fail(ProtocolMismatch("FrameBridge server at " + session_.connection->address() + " sent " +
                              message_name(*message) + " unasked"));
    }
}

bool ClientCore::take_notice(const std::optional<ServerMessage>& message) {
    if (!message) {
        return false;
    }
    if (const auto* segment = std::get_if<protocol::SegmentMessage>(&*message)) {
        follow(*segment);
        return true;
    }
    if (const auto* stream = std::get_if<protocol::StreamMessage>(&*message)) {
        stream_ = *stream;
        return true;
    }
    return false;
}

// Frames of the old generation stay readable (each keeps the old mapping; on Linux its name is
// already gone) and are still given back, but no longer count against max_leases.
void ClientCore::follow(const protocol::SegmentMessage& message) {
    if (message.layout_version != shm::LAYOUT_VERSION) {
        fail(ProtocolMismatch("FrameBridge server at " + session_.connection->address() +
                              " moved to layout version " + std::to_string(message.layout_version) +
                              "; this client reads " + std::to_string(shm::LAYOUT_VERSION)));
    }
    auto ring = guarded([&] {
        return open_ring(message.segment_name, message.segment_size, message.session_id,
                         message.slot_count);
    });
    session_.ring = std::move(ring);
    protocol::Welcome& w = session_.welcome;
    w.segment_name = message.segment_name;
    w.segment_size = message.segment_size;
    w.session_id = message.session_id;
    w.slot_count = message.slot_count;
    w.max_leases = message.max_leases;
    retired_.insert(held_.begin(), held_.end());
    held_.clear();
}

Frame ClientCore::accept(const protocol::FrameMessage& message, std::uint64_t receive_ns) {
    const shm::FrameRing& ring = *session_.ring;
    const std::string seq = "FRAME seq " + std::to_string(message.seq) + ": ";
    if (message.seq <= last_seq_) {
        fail(ProtocolMismatch(seq + "not above the requested after_seq " +
                              std::to_string(last_seq_)));
    }
    if (const std::string problem = frame_problem(message, ring); !problem.empty()) {
        fail(ProtocolMismatch(seq + problem));
    }
    // A frame this client still holds in the same slot is fine if its lease was taken back
    // (the seqlock moved on): the server may hand that slot to it again at once.
    for (const auto& [held_seq, held_slot] : held_) {
        if (held_slot == message.slot && ring.slot_sequence(held_slot) == held_seq) {
            fail(ProtocolMismatch(seq + "slot " + std::to_string(message.slot) +
                                  " is already leased to this client"));
        }
    }
    FrameInfo info;
    info.slot = message.slot;
    info.seq = message.seq;
    info.width = message.width;
    info.height = message.height;
    info.stride = message.stride;
    info.format = static_cast<PixelFormat>(message.pixel_format);
    info.capture_ns = message.capture_ns;
    info.publish_ns = message.publish_ns;
    info.receive_ns = receive_ns;
    info.source_seq = message.source_seq;
    held_[message.seq] = message.slot;
    last_seq_ = message.seq;
    retry_ = {};  // a server that gives frames: next time, at once
    next_try_ = {};
    return Frame(info, reinterpret_cast<const std::uint8_t*>(ring.slot_data(message.slot)),
                 &ring.descriptor(message.slot).sequence, session_.ring, weak_from_this(),
                 connection_);
}

void ClientCore::flush() {
    if (outgoing_.empty()) {
        return;
    }
    protocol::Bytes bytes;
    bytes.swap(outgoing_);
    guarded([&] { session_.connection->send(bytes); });
}

bool ClientCore::forget(std::uint64_t seq) {
    return held_.erase(seq) + retired_.erase(seq) > 0;
}

void ClientCore::release(std::uint64_t connection, const FrameInfo& frame, std::uint64_t done_ns,
                         bool with_next_request) noexcept {
    if (closed_ || failure_ || lost_ || connection != connection_ || !forget(frame.seq)) {
        return;
    }
    try {
        append(outgoing_, protocol::encode(
                              protocol::Release{frame.slot, frame.seq, frame.receive_ns, done_ns}));
        if (!with_next_request) {
            flush();
        }
    } catch (const std::exception&) {
        // Lost: reported or replaced by the next latest(), which is where a caller can act.
    }
}

FrameBridgeError ClientCore::lease_limit_error() const {
    std::string seqs;
    for (const auto& [seq, slot] : held_) {
        seqs += (seqs.empty() ? "" : ", ") + std::to_string(seq);
    }
    return FrameBridgeError("this client holds " + std::to_string(held_.size()) +
                            " frame(s) (seq " + seqs + "), the server allows " +
                            std::to_string(session_.welcome.max_leases) +
                            "; release one (frame.release() or let the Frame go) before asking "
                            "for another, or start the server with more --slots");
}

void ClientCore::close() noexcept {
    if (closed_) {
        return;
    }
    if (!failure_ && !lost_) {
        try {
            flush();
        } catch (const std::exception&) {
        }
    }
    closed_ = true;
    held_.clear();  // closing the connection gives them back
    retired_.clear();
    session_.connection->close();
}

StreamState ClientCore::stream_state() const noexcept {
    switch (stream_.state) {
    case protocol::StreamState::Live:
        return StreamState::Live;
    case protocol::StreamState::Ended:
        return StreamState::Ended;
    case protocol::StreamState::Lost:
        return StreamState::Lost;
    }
    return StreamState::Unknown;
}

std::uint64_t ClientCore::newest_seq() const noexcept {
    return session_.ring->newest_seq();
}

}  // namespace framebridge::detail
