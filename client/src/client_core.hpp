#pragma once
// What a Client is behind its handle: the connection, the mapped segment generation, and the
// leases this client holds. Frames point back here (weakly) to give their lease back.

#include "connection.hpp"

#include "framebridge/client/client.hpp"
#include "framebridge/shm/frame_ring.hpp"

#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace framebridge::detail {

/// @brief One connection's worth of state: the socket, its WELCOME, and the ring it names.
struct Session {
    std::unique_ptr<Connection> connection;
    protocol::Welcome welcome;
    std::shared_ptr<shm::FrameRing> ring;
};

class ClientCore : public std::enable_shared_from_this<ClientCore> {
public:
    explicit ClientCore(const ConnectOptions& options);

    Frame latest(std::optional<std::chrono::nanoseconds> timeout);
    /// @brief A Frame let go of its lease. With `with_next_request` the RELEASE waits to go out
    /// in one write with the next REQUEST.
    void release(std::uint64_t connection, const FrameInfo& frame, std::uint64_t done_ns,
                 bool with_next_request) noexcept;
    void close() noexcept;

    std::uint32_t reconnects() const noexcept { return reconnects_; }
    const protocol::Welcome& welcome() const noexcept { return session_.welcome; }
    StreamState stream_state() const noexcept;
    std::uint64_t newest_seq() const noexcept;

private:
    Session open(std::optional<std::chrono::milliseconds> timeout) const;
    void connect_again(Deadline deadline, std::optional<std::chrono::nanoseconds> timeout);
    Frame latest_once(Deadline deadline, std::optional<std::chrono::nanoseconds> timeout);
    void take_notices();
    bool take_notice(const std::optional<ServerMessage>& message);
    void follow(const protocol::SegmentMessage& message);
    Frame accept(const protocol::FrameMessage& message, std::uint64_t receive_ns);
    void flush();
    bool forget(std::uint64_t seq);
    void check_usable() const;
    FrameBridgeError lease_limit_error() const;

    /// @brief The connection is unusable: with reconnect a lost server is replaced by the next
    /// latest(); any other failure is thrown by every call from now on.
    void lose(std::exception_ptr failure, bool server_gone) noexcept;
    template <typename Error>
    [[noreturn]] void fail(const Error& error);
    /// @brief Runs `step`; a FrameBridgeError it throws loses the connection, then goes on up.
    template <typename Step>
    auto guarded(Step step);

    ConnectOptions options_;
    std::string token_;
    std::string stream_name_;  ///< asked for in every HELLO; "" until a first WELCOME names one
    Session session_;
    std::map<std::uint64_t, std::uint32_t> held_;     ///< seq -> slot, this generation
    std::map<std::uint64_t, std::uint32_t> retired_;  ///< seq -> slot, older generations
    protocol::Bytes outgoing_;                        ///< RELEASEs waiting for the next REQUEST
    std::uint64_t last_seq_ = 0;
    bool request_outstanding_ = false;
    protocol::StreamMessage stream_;
    std::uint64_t connection_ = 1;  ///< which connection this is; Frames of another are not ours
    std::uint32_t reconnects_ = 0;
    std::exception_ptr failure_;
    std::optional<std::string> lost_;  ///< reconnect: why the server was lost, until replaced
    Clock::duration retry_{};          ///< reconnect: the pause before the next try
    Clock::time_point next_try_{};
    bool closed_ = false;
};

}  // namespace framebridge::detail
